"""Four eyes on supervisors' outcome imports; outcomes remember their import

Revision ID: 20261201_02_outcome_approval
Revises: 20261123_03_market
"""

import sqlalchemy as sa
from alembic import op

revision = "20261201_02_outcome_approval"
down_revision = "20261123_03_market"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outcome_imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rejection_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outcome_imports_decided_by_id_employees"),
            "employees",
            ["decided_by_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_outcome_imports_one_decision"),
            "applied_at IS NULL OR rejected_at IS NULL",
        )
        batch_op.create_index("ix_outcome_imports_submitted_at", ["submitted_at"], unique=False)
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outcomes_import_id_outcome_imports"),
            "outcome_imports",
            ["import_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outcomes_import_id_outcome_imports"), type_="foreignkey"
        )
        batch_op.drop_column("import_id")
    with op.batch_alter_table("outcome_imports", schema=None) as batch_op:
        batch_op.drop_index("ix_outcome_imports_submitted_at")
        batch_op.drop_constraint(batch_op.f("ck_outcome_imports_one_decision"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_outcome_imports_decided_by_id_employees"), type_="foreignkey"
        )
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("rejection_reason")
        batch_op.drop_column("rejected_at")
        batch_op.drop_column("submitted_at")
