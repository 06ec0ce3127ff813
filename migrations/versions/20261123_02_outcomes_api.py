"""Outcome rules and outcomes, API tokens and idempotency records

Revision ID: 20261123_02_outcomes_api
Revises: 20261123_01_foundation
"""
import sqlalchemy as sa
from alembic import op

revision = "20261123_02_outcomes_api"
down_revision = '20261123_01_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('min_score', sa.Integer(), nullable=True),
    sa.Column('max_score', sa.Integer(), nullable=True),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('min_score IS NULL OR max_score IS NULL OR min_score <= max_score', name=op.f('ck_outcome_rules_score_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_outcome_rules_criterion_id_criteria')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_rules'))
    )
    with op.batch_alter_table('outcome_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_rules_kind'), ['kind'], unique=False)
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_api_tokens_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_employee_id'), ['employee_id'], unique=False)
    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_idempotency_records_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('employee_id', 'key', name='uq_idempotency_records_employee_key')
    )
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_records_created_at'), ['created_at'], unique=False)
    op.create_table('outcome_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['employees.id'], name=op.f('fk_outcome_imports_uploaded_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_imports'))
    )
    op.create_table('outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('award_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("source IN ('csv', 'api')", name=op.f('ck_outcomes_source')),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_outcomes_award_id_awards')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_outcomes_employee_id_employees')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['employees.id'], name=op.f('fk_outcomes_recorded_by_id_employees')),
    sa.ForeignKeyConstraint(['rule_id'], ['outcome_rules.id'], name=op.f('fk_outcomes_rule_id_outcome_rules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes')),
    sa.UniqueConstraint('award_id', name=op.f('uq_outcomes_award_id')),
    sa.UniqueConstraint('external_id', name=op.f('uq_outcomes_external_id'))
    )
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index('ix_outcomes_employee_id_occurred_at', ['employee_id', 'occurred_at'], unique=False)

    _seed_rules()


# Outcomes award points out of the box: NPS 10 and 9, first-contact
# resolution and promises kept, onto the criteria the foundation seeded.
DEFAULT_RULES = [
    ("nps", 10, 10, "nps_10"),
    ("nps", 9, 9, "nps_9"),
    ("fcr", None, None, "fcr"),
    ("promise_kept", None, None, "promise_kept"),
]


def _seed_rules():
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    for kind, min_score, max_score, code in DEFAULT_RULES:
        op.get_bind().execute(
            sa.text(
                "INSERT INTO outcome_rules (kind, min_score, max_score, criterion_id, active, created_at) "
                "SELECT :kind, :min_score, :max_score, id, :active, :now FROM criteria WHERE code = :code"
            ),
            {"kind": kind, "min_score": min_score, "max_score": max_score, "code": code,
             "active": True, "now": now if op.get_bind().dialect.name == "postgresql" else now.replace(tzinfo=None)},
        )


def downgrade():
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_outcomes_employee_id_occurred_at')
    op.drop_table('outcomes')
    op.drop_table('outcome_imports')
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_records_created_at'))
    op.drop_table('idempotency_records')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_employee_id'))
    op.drop_table('api_tokens')
    with op.batch_alter_table('outcome_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_rules_kind'))
    op.drop_table('outcome_rules')
