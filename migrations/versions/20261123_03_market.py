"""The exchange: rewards, redemptions, price ticks, goals, notifications, job runs

Revision ID: 20261123_03_market
Revises: 20261123_02_outcomes_api
"""
import sqlalchemy as sa
from alembic import op

revision = "20261123_03_market"
down_revision = '20261123_02_outcomes_api'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('job', 'period', name='uq_job_runs_job_period')
    )
    op.create_table('rewards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_fi', sa.String(length=120), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_fi', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('image_type', sa.String(length=32), nullable=True),
    sa.Column('base_price', sa.Integer(), nullable=False),
    sa.Column('floor_price', sa.Integer(), nullable=False),
    sa.Column('ceiling_price', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=True),
    sa.Column('per_person_limit', sa.Integer(), nullable=True),
    sa.Column('limit_period', sa.String(length=8), nullable=True),
    sa.Column('expected_per_30d', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("category IN ('experience', 'item', 'wellbeing', 'time_off')", name=op.f('ck_rewards_category')),
    sa.CheckConstraint("kind IN ('standard', 'shift_swap')", name=op.f('ck_rewards_kind')),
    sa.CheckConstraint('0 < floor_price AND floor_price <= base_price AND base_price <= ceiling_price', name=op.f('ck_rewards_price_band')),
    sa.CheckConstraint('expected_per_30d >= 1', name=op.f('ck_rewards_expected_demand')),
    sa.CheckConstraint('per_person_limit IS NULL OR per_person_limit >= 1', name=op.f('ck_rewards_person_limit')),
    sa.CheckConstraint('stock IS NULL OR stock >= 0', name=op.f('ck_rewards_stock_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rewards'))
    )
    op.create_table('price_ticks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reward_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['reward_id'], ['rewards.id'], name=op.f('fk_price_ticks_reward_id_rewards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_ticks')),
    sa.UniqueConstraint('reward_id', 'period_start', name='uq_price_ticks_reward_period')
    )
    with op.batch_alter_table('price_ticks', schema=None) as batch_op:
        batch_op.create_index('ix_price_ticks_reward_id_at', ['reward_id', 'at'], unique=False)
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_notifications_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_employee_id_read_at', ['employee_id', 'read_at'], unique=False)
    op.create_table('savings_goals',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('reward_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reference_price', sa.Integer(), nullable=False),
    sa.Column('affordable_notified', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_savings_goals_employee_id_employees')),
    sa.ForeignKeyConstraint(['reward_id'], ['rewards.id'], name=op.f('fk_savings_goals_reward_id_rewards')),
    sa.PrimaryKeyConstraint('employee_id', name=op.f('pk_savings_goals'))
    )
    op.create_table('redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('reward_id', sa.Integer(), nullable=False),
    sa.Column('price_paid', sa.Integer(), nullable=False),
    sa.Column('max_price', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('refund_entry_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'fulfilled', 'cancelled')", name=op.f('ck_redemptions_status')),
    sa.CheckConstraint('price_paid > 0 AND price_paid <= max_price', name=op.f('ck_redemptions_price_paid')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['employees.id'], name=op.f('fk_redemptions_decided_by_id_employees')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_redemptions_employee_id_employees')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_redemptions_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['refund_entry_id'], ['ledger_entries.id'], name=op.f('fk_redemptions_refund_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['reward_id'], ['rewards.id'], name=op.f('fk_redemptions_reward_id_rewards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemptions')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_redemptions_entry_id')),
    sa.UniqueConstraint('refund_entry_id', name=op.f('uq_redemptions_refund_entry_id')),
    sa.UniqueConstraint('request_id', name=op.f('uq_redemptions_request_id'))
    )
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.create_index('ix_redemptions_employee_id_created_at', ['employee_id', 'created_at'], unique=False)
        batch_op.create_index('ix_redemptions_reward_id_created_at', ['reward_id', 'created_at'], unique=False)
        batch_op.create_index('ix_redemptions_status', ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_index('ix_redemptions_status')
        batch_op.drop_index('ix_redemptions_reward_id_created_at')
        batch_op.drop_index('ix_redemptions_employee_id_created_at')
    op.drop_table('redemptions')
    op.drop_table('savings_goals')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_employee_id_read_at')
    op.drop_table('notifications')
    with op.batch_alter_table('price_ticks', schema=None) as batch_op:
        batch_op.drop_index('ix_price_ticks_reward_id_at')
    op.drop_table('price_ticks')
    op.drop_table('rewards')
    op.drop_table('job_runs')
