"""E-mail notices: the outbox and the categories people turned off

New table `mail_outbox`: one e-mail to one person, written in the transaction of
the notice it repeats, with its sending state (queued, sending, sent, failed,
uncertain), attempts, next attempt and last error. New table `mail_opt_outs`: a
category of e-mail one person does not want (no row: on). Nothing existing is
copied or changed.

Revision ID: 20261205_01_mail_outbox
Revises: 20261204_02_audit_log
"""
import sqlalchemy as sa
from alembic import op

revision = '20261205_01_mail_outbox'
down_revision = '20261204_02_audit_log'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_opt_outs',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_mail_opt_outs_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('employee_id', 'category', name=op.f('pk_mail_opt_outs'))
    )
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'uncertain')", name=op.f('ck_mail_outbox_status')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_mail_outbox_attempts')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_mail_outbox_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_mail_outbox_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_outbox_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_mail_outbox_employee_id'))

    op.drop_table('mail_outbox')
    op.drop_table('mail_opt_outs')
