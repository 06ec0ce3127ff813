"""First-login tour: when each employee was shown it

New column `employees.tour_seen_at` (NULL: not yet). Everyone already here is marked
as having seen it at the migration, so only people added from now on (by HR, an import,
`flask user create`) are shown the tour after their first login.

Revision ID: 20261205_02_tour_seen
Revises: 20261205_01_mail_outbox
"""
import sqlalchemy as sa
from alembic import op

revision = "20261205_02_tour_seen"
down_revision = "20261205_01_mail_outbox"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employees") as batch_op:
        batch_op.add_column(sa.Column("tour_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE employees SET tour_seen_at = CURRENT_TIMESTAMP")


def downgrade():
    with op.batch_alter_table("employees") as batch_op:
        batch_op.drop_column("tour_seen_at")
