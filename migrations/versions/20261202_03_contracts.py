"""Temps' contracts: HR's settings, and the reminders and ends the contract jobs handled

`settings` is a small store of site-wide choices HR makes (the first:
`unspent_points`, keep or expire); `contract_events` holds one row per temp,
contract end date and event (a reminder 14 or 3 days before, the end), so a
job that runs twice does nothing the second time. Two new tables only: no
existing table is copied, so no foreign key pointing at one is tripped.

Revision ID: 20261202_03_contracts
Revises: 20261202_01_price_engine
"""
import sqlalchemy as sa
from alembic import op

revision = '20261202_03_contracts'
down_revision = '20261202_01_price_engine'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contract_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('contract_end', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('points', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('reminder_14', 'reminder_3', 'ended')", name=op.f('ck_contract_events_kind')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_contract_events_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_events')),
    sa.UniqueConstraint('employee_id', 'contract_end', 'kind', name=op.f('uq_contract_events_employee_id'))
    )
    op.create_table('settings',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['employees.id'], name=op.f('fk_settings_updated_by_id_employees')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_settings'))
    )


def downgrade():
    op.drop_table('settings')
    op.drop_table('contract_events')
