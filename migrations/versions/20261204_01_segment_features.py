"""Insights: the segments' figures stored ahead of the read

New tables `segment_snapshots` (one per window and moment, with the stamp of what it was
computed from: the ledger entries dated at or before the moment and the cancelled
redemptions among them) and `segment_figures` (per snapshot, each employee's figures).
New table `insights_figures`: the dashboard's economy (as of the day's start) and fairness
tables per window and moment, as JSON, with the same stamp and the employees' fingerprint.
The `segment_features` job fills them (docs/insights.md, "Stored figures").

Revision ID: 20261204_01_segment_features
Revises: 20261203_05_import_progress
"""
import sqlalchemy as sa
from alembic import op


revision = "20261204_01_segment_features"
down_revision = "20261203_05_import_progress"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "segment_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_snapshots")),
        sa.UniqueConstraint("window_days", "as_of", name=op.f("uq_segment_snapshots_window_days")),
    )
    op.create_table(
        "segment_figures",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("history_days", sa.Integer(), nullable=False),
        sa.Column("earned", sa.Integer(), nullable=False),
        sa.Column("redemptions", sa.Integer(), nullable=False),
        sa.Column("redemptions_per_year", sa.Float(), nullable=False),
        sa.Column("median_days_to_redeem", sa.Float(), nullable=True),
        sa.Column("median_balance", sa.Float(), nullable=False),
        sa.Column("upper_third_share", sa.Float(), nullable=False),
        sa.Column("days_since_redemption", sa.Integer(), nullable=True),
        sa.Column("cheapest_price", sa.Integer(), nullable=True),
        sa.Column("lower_third_price", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_segment_figures_employee_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["segment_snapshots.id"],
            name=op.f("fk_segment_figures_snapshot_id_segment_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "employee_id", name=op.f("pk_segment_figures")),
    )
    op.create_table(
        "insights_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("people", sa.String(length=200), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights_figures")),
        sa.UniqueConstraint("kind", "window_days", "as_of", name=op.f("uq_insights_figures_kind")),
    )


def downgrade():
    op.drop_table("insights_figures")
    op.drop_table("segment_figures")
    op.drop_table("segment_snapshots")
