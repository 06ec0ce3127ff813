"""Shifts: who works when, in which team, under what label

A new table only; nothing existing is copied, so no foreign key pointing at
another table is disturbed on SQLite. Written beside the contracts revision and
chained after it, which main had by then.

Revision ID: 20261202_02_shifts
Revises: 20261202_03_contracts
"""
import sqlalchemy as sa
from alembic import op

revision = "20261202_02_shifts"
down_revision = "20261202_03_contracts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_shifts_ends_after_start')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_shifts_employee_id_employees')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_shifts_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts')),
    sa.UniqueConstraint('employee_id', 'starts_at', name=op.f('uq_shifts_employee_id'))
    )
    op.create_index('ix_shifts_team_id_starts_at', 'shifts', ['team_id', 'starts_at'], unique=False)


def downgrade():
    op.drop_index('ix_shifts_team_id_starts_at', table_name='shifts')
    op.drop_table('shifts')
