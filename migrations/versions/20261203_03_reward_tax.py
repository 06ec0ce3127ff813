"""Payroll: each reward's tax treatment, income-type code and value in euros, and a copy on fulfilment

Rewards get `tax_treatment` (taxable by default: in Finland a reward for work
performance is taxable pay), an optional `income_type_code` and `value_cents`.
A fulfilled redemption keeps the three as they were at fulfilment, so a later
edit of the reward does not rewrite paid payroll history; the redemptions
fulfilled before this revision are left without a copy (the export shows them
as having no value set).

Revision ID: 20261203_03_reward_tax
Revises: 20261203_02_insights_index
"""
import sqlalchemy as sa
from alembic import op

revision = "20261203_03_reward_tax"
down_revision = "20261203_02_insights_index"
branch_labels = None
depends_on = None


def _reward_columns():
    return [
        sa.Column('tax_treatment', sa.String(length=16), nullable=False, server_default='taxable'),
        sa.Column('income_type_code', sa.String(length=32), nullable=True),
        sa.Column('value_cents', sa.Integer(), nullable=True),
    ]


def _redemption_columns():
    return [
        sa.Column('tax_treatment', sa.String(length=16), nullable=True),
        sa.Column('income_type_code', sa.String(length=32), nullable=True),
        sa.Column('value_cents', sa.Integer(), nullable=True),
    ]


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN in place: a batch copy of rewards or redemptions would trip the foreign
        # keys pointing at them. The checks are the service's on SQLite.
        for column in _reward_columns():
            op.add_column('rewards', column)
        for column in _redemption_columns():
            op.add_column('redemptions', column)
        return
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        for column in _reward_columns():
            batch_op.add_column(column)
        batch_op.create_check_constraint('tax_treatment', "tax_treatment IN ('taxable', 'tax_free')")
        batch_op.create_check_constraint('value_cents', 'value_cents IS NULL OR value_cents >= 0')
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        for column in _redemption_columns():
            batch_op.add_column(column)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in (('redemptions', _redemption_columns()), ('rewards', _reward_columns())):
            for column in columns:
                op.drop_column(table, column.name)
        return
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        for column in _redemption_columns():
            batch_op.drop_column(column.name)
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.drop_constraint('value_cents', type_='check')
        batch_op.drop_constraint('tax_treatment', type_='check')
        for column in _reward_columns():
            batch_op.drop_column(column.name)
