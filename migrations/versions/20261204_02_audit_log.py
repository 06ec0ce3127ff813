"""Audit log: every HR and admin action, append-only

New table `audit_entries` (who, when, what, the subject, its state before and
after as JSON). Triggers refuse every UPDATE and DELETE of it: on PostgreSQL a
plpgsql function raising an error, on SQLite RAISE(ABORT). Nothing existing is
copied or changed.

Revision ID: 20261204_02_audit_log
Revises: 20261204_01_segment_features
"""
import sqlalchemy as sa
from alembic import op

revision = "20261204_02_audit_log"
down_revision = "20261204_01_segment_features"
branch_labels = None
depends_on = None

REFUSAL = "audit_entries is append-only"
TRIGGERS = (("audit_entries_no_update", "UPDATE"), ("audit_entries_no_delete", "DELETE"))


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject_kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('subject_label', sa.String(length=200), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['employees.id'], name=op.f('fk_audit_entries_actor_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    op.create_index('ix_audit_entries_at', 'audit_entries', ['at'], unique=False)
    op.create_index('ix_audit_entries_actor_id_at', 'audit_entries', ['actor_id', 'at'], unique=False)
    op.create_index('ix_audit_entries_action_at', 'audit_entries', ['action', 'at'], unique=False)
    op.create_index('ix_audit_entries_subject', 'audit_entries', ['subject_kind', 'subject_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; "
            "END; $$ LANGUAGE plpgsql"
        )
        for name, event in TRIGGERS:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON audit_entries "
                "FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change()"
            )
    else:
        for name, event in TRIGGERS:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON audit_entries "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name, _event in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_refuse_change()")
    else:
        for name, _event in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index('ix_audit_entries_subject', table_name='audit_entries')
    op.drop_index('ix_audit_entries_action_at', table_name='audit_entries')
    op.drop_index('ix_audit_entries_actor_id_at', table_name='audit_entries')
    op.drop_index('ix_audit_entries_at', table_name='audit_entries')
    op.drop_table('audit_entries')
