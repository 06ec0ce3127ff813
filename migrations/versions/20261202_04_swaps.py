"""Shift swaps: the swap board's table, and a team's choice to approve swaps first

`swaps` is new. `teams` gains `swap_needs_approval` by ADD COLUMN (no table
copy on SQLite, so no foreign key pointing at teams is tripped).

Revision ID: 20261202_04_swaps
Revises: 20261202_02_shifts
"""
import sqlalchemy as sa
from alembic import op

revision = '20261202_04_swaps'
down_revision = '20261202_02_shifts'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('open', 'awaiting_approval')")


def upgrade():
    op.add_column(
        'teams',
        sa.Column('swap_needs_approval', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table('swaps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('offered_to_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('cover_entry_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'awaiting_approval', 'covered', 'withdrawn', 'expired')", name=op.f('ck_swaps_status')),
    sa.ForeignKeyConstraint(['cover_entry_id'], ['ledger_entries.id'], name=op.f('fk_swaps_cover_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['employees.id'], name=op.f('fk_swaps_decided_by_id_employees')),
    sa.ForeignKeyConstraint(['offered_to_id'], ['employees.id'], name=op.f('fk_swaps_offered_to_id_employees')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemptions.id'], name=op.f('fk_swaps_redemption_id_redemptions')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['employees.id'], name=op.f('fk_swaps_requested_by_id_employees')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_swaps_shift_id_shifts')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['employees.id'], name=op.f('fk_swaps_taken_by_id_employees')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_swaps_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swaps')),
    sa.UniqueConstraint('cover_entry_id', name=op.f('uq_swaps_cover_entry_id')),
    sa.UniqueConstraint('redemption_id', name=op.f('uq_swaps_redemption_id'))
    )
    op.create_index('uq_swaps_active_shift', 'swaps', ['shift_id'], unique=True,
                    sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    op.create_index('ix_swaps_team_id_status', 'swaps', ['team_id', 'status'])
    op.create_index('ix_swaps_status_deadline', 'swaps', ['status', 'deadline'])


def downgrade():
    op.drop_index('ix_swaps_status_deadline', table_name='swaps')
    op.drop_index('ix_swaps_team_id_status', table_name='swaps')
    op.drop_index('uq_swaps_active_shift', table_name='swaps')
    op.drop_table('swaps')
    with op.batch_alter_table('teams') as batch_op:
        batch_op.drop_column('swap_needs_approval')
