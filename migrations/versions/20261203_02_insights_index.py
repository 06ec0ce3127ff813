"""Insights: a covering index on the ledger for grouped and windowed scans

(employee_id, at, id, points, kind): `SELECT employee_id, sum(points) ... GROUP
BY employee_id` and the segments' window pass in (at, id) order read the index
alone on SQLite instead of a table lookup per entry. An index only: nothing is
copied.

Revision ID: 20261203_02_insights_index
Revises: 20261202_05_calendar_feeds
"""
from alembic import op

revision = "20261203_02_insights_index"
down_revision = "20261202_05_calendar_feeds"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_ledger_entries_employee_at_cover",
        "ledger_entries",
        ["employee_id", "at", "id", "points", "kind"],
    )


def downgrade():
    op.drop_index("ix_ledger_entries_employee_at_cover", table_name="ledger_entries")
