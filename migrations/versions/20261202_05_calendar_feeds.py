"""Calendar feeds: secret links to one's own shifts for a phone calendar

A new table only (tokens stored as their SHA-256); nothing existing is copied,
so no foreign key pointing at another table is disturbed on SQLite. The partial
unique index keeps one live link per employee.

Revision ID: 20261202_05_calendar_feeds
Revises: 20261202_04_swaps
"""
import sqlalchemy as sa
from alembic import op

revision = "20261202_05_calendar_feeds"
down_revision = "20261202_04_swaps"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_calendar_feeds_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    op.create_index(
        'uq_calendar_feeds_live_employee', 'calendar_feeds', ['employee_id'], unique=True,
        sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'),
    )


def downgrade():
    op.drop_index('uq_calendar_feeds_live_employee', table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
