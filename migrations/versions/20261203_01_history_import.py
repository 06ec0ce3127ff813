"""Moving in: history imports, set-password links, imported redemptions, the "imported" price state

New tables `history_imports` (an uploaded or applied users/history file, with
its SHA-256 and its progress) and `password_links` (one-time set-password
links, stored as their SHA-256). Redemptions gain `imported` (false for every
existing row). Price states may now have the cause "imported": one per reward
whose demand an import folded in (docs/architecture.md, "History imports").

Revision ID: 20261203_01_history_import
Revises: 20261203_02_insights_index
"""
import sqlalchemy as sa
from alembic import op

revision = "20261203_01_history_import"
down_revision = "20261203_03_reward_tax"
branch_labels = None
depends_on = None

OLD_CAUSES = "cause IN ('opened', 'redeemed', 'settings', 'upgraded')"
NEW_CAUSES = "cause IN ('opened', 'redeemed', 'settings', 'upgraded', 'imported')"


def upgrade():
    op.create_table('history_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applied_sha256', sa.String(length=64), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('awards', sa.Integer(), nullable=False),
    sa.Column('redemptions', sa.Integer(), nullable=False),
    sa.Column('points_awarded', sa.BigInteger(), nullable=False),
    sa.Column('points_redeemed', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("kind IN ('users', 'history')", name=op.f('ck_history_imports_kind')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['employees.id'], name=op.f('fk_history_imports_uploaded_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history_imports')),
    sa.UniqueConstraint('applied_sha256', name=op.f('uq_history_imports_applied_sha256'))
    )
    op.create_table('password_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_password_links_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_links_token_hash'))
    )
    # In place on SQLite too: a batch copy of redemptions would trip the foreign keys to it.
    op.add_column('redemptions', sa.Column('imported', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Nothing points at price_states, so SQLite's batch copy of it is safe.
    with op.batch_alter_table('price_states', schema=None) as batch_op:
        batch_op.drop_constraint('cause', type_='check')
        batch_op.create_check_constraint('cause', NEW_CAUSES)


def downgrade():
    op.execute("DELETE FROM price_states WHERE cause = 'imported'")
    with op.batch_alter_table('price_states', schema=None) as batch_op:
        batch_op.drop_constraint('cause', type_='check')
        batch_op.create_check_constraint('cause', OLD_CAUSES)
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_column('imported')
    op.drop_table('password_links')
    op.drop_table('history_imports')
