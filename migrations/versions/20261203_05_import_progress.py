"""History uploads applied in the background: their progress, readable by every worker

New table `history_import_runs`: one row per history upload applied in the
background (status applying/done/failed, stage, rows done of total, the
failure's message, when it started and last moved). It is written by short
transactions of its own while the apply's long one is open
(docs/architecture.md, "History imports").

Revision ID: 20261203_05_import_progress
Revises: 20261203_01_history_import
"""
import sqlalchemy as sa
from alembic import op

revision = "20261203_05_import_progress"
down_revision = "20261203_01_history_import"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('history_import_runs',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('applying', 'done', 'failed')", name=op.f('ck_history_import_runs_status')),
    sa.ForeignKeyConstraint(['import_id'], ['history_imports.id'], name=op.f('fk_history_import_runs_import_id_history_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('import_id', name=op.f('pk_history_import_runs'))
    )


def downgrade():
    op.drop_table('history_import_runs')
