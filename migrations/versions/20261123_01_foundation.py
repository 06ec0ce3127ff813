"""Foundation: people, teams, the ledger, criteria and awards

Revision ID: 20261123_01_foundation
Revises: 
"""
import sqlalchemy as sa
from alembic import op

revision = "20261123_01_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_fi', sa.String(length=120), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_fi', sa.Text(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("tier IN ('good', 'excellent')", name=op.f('ck_criteria_tier')),
    sa.CheckConstraint('points > 0', name=op.f('ck_criteria_points_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria')),
    sa.UniqueConstraint('code', name=op.f('uq_criteria_code'))
    )
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempts_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempts_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempts_username'), ['username'], unique=False)
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('monthly_award_budget', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('monthly_award_budget IS NULL OR monthly_award_budget >= 0', name=op.f('ck_teams_budget')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )
    op.create_table('employees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('employment_type', sa.String(length=16), nullable=False),
    sa.Column('agency_name', sa.String(length=120), nullable=True),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("employment_type IN ('permanent', 'temp')", name=op.f('ck_employees_employment_type')),
    sa.CheckConstraint("language IN ('fi', 'en')", name=op.f('ck_employees_language')),
    sa.CheckConstraint("role IN ('agent', 'supervisor', 'hr', 'admin')", name=op.f('ck_employees_role')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_employees_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employees')),
    sa.UniqueConstraint('username', name=op.f('uq_employees_username'))
    )
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employees_team_id'), ['team_id'], unique=False)
    op.create_table('balances',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('points >= 0', name=op.f('ck_balances_not_negative')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_balances_employee_id_employees')),
    sa.PrimaryKeyConstraint('employee_id', name=op.f('pk_balances'))
    )
    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('points <> 0', name=op.f('ck_ledger_entries_points_nonzero')),
    sa.ForeignKeyConstraint(['actor_id'], ['employees.id'], name=op.f('fk_ledger_entries_actor_id_employees')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_ledger_entries_employee_id_employees')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_entries.id'], name=op.f('fk_ledger_entries_reverses_id_ledger_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_ledger_entries_reverses_id'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_at', ['at'], unique=False)
        batch_op.create_index('ix_ledger_entries_employee_id_id', ['employee_id', 'id'], unique=False)
    op.create_table('team_supervisors',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_team_supervisors_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_supervisors_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'employee_id', name=op.f('pk_team_supervisors'))
    )
    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('awarded_by_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('manual', 'outcome')", name=op.f('ck_awards_source')),
    sa.CheckConstraint('points > 0', name=op.f('ck_awards_points_positive')),
    sa.ForeignKeyConstraint(['awarded_by_id'], ['employees.id'], name=op.f('fk_awards_awarded_by_id_employees')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_awards_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_awards_employee_id_employees')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_awards_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_awards_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_awards_entry_id')),
    sa.UniqueConstraint('request_id', name=op.f('uq_awards_request_id'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index('ix_awards_employee_id_created_at', ['employee_id', 'created_at'], unique=False)
        batch_op.create_index('ix_awards_team_id_created_at', ['team_id', 'created_at'], unique=False)

    _seed_criteria()


# The starting catalogue of a contact centre; HR edits it in the app.
DEFAULT_CRITERIA = [
    ("nps_10", "excellent", 50, "Promoter: the customer gave 10", "Suosittelija: asiakas antoi 10",
     "A customer answered the post-call survey with 10 out of 10.",
     "Asiakas antoi puhelun jälkeisessä kyselyssä arvosanan 10/10."),
    ("nps_9", "good", 25, "Promoter: the customer gave 9", "Suosittelija: asiakas antoi 9",
     "A customer answered the post-call survey with 9 out of 10.",
     "Asiakas antoi puhelun jälkeisessä kyselyssä arvosanan 9/10."),
    ("fcr", "good", 20, "First-contact resolution", "Ratkaistu ensimmäisellä yhteydellä",
     "The customer's matter was resolved in the first contact, with no callback or follow-up ticket.",
     "Asiakkaan asia ratkesi ensimmäisellä yhteydenotolla ilman takaisinsoittoa tai jatkotikettiä."),
    ("promise_kept", "good", 20, "Customer promise kept", "Asiakaslupaus pidetty",
     "A promise to the customer was kept, such as serving them within 15 minutes or calling back when agreed.",
     "Asiakkaalle annettu lupaus pidettiin, esimerkiksi palvelu 15 minuutissa tai takaisinsoitto sovitusti."),
    ("helped_colleague", "good", 30, "Helped a colleague", "Auttoi kollegaa",
     "Helped a colleague solve a difficult case or learn something new.",
     "Auttoi kollegaa ratkaisemaan vaikean tapauksen tai oppimaan uutta."),
    ("quality_excellent", "excellent", 80, "Excellent quality review", "Erinomainen laatuarvio",
     "A call or chat scored excellent in the quality review.",
     "Puhelu tai chat arvioitiin laatuarvioinnissa erinomaiseksi."),
    ("customer_praise", "excellent", 60, "Praise from a customer", "Asiakkaan kiitos",
     "A customer thanked the agent by name in writing.",
     "Asiakas kiitti asiakaspalvelijaa nimeltä kirjallisesti."),
    ("knowledge_shared", "good", 25, "Knowledge shared", "Jaettu osaaminen",
     "Wrote or improved a knowledge-base article the team uses.",
     "Kirjoitti tai paransi tiimin käyttämän tietopankin artikkelin."),
    ("covered_shift", "good", 40, "Covered a colleague's shift", "Tuurasi kollegan vuoron",
     "Took over a colleague's shift from the swap board.",
     "Otti kollegan vuoron vaihtotaululta."),
]


def _seed_criteria():
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    table = sa.table(
        "criteria",
        sa.column("code", sa.String), sa.column("tier", sa.String), sa.column("points", sa.Integer),
        sa.column("name_en", sa.String), sa.column("name_fi", sa.String),
        sa.column("description_en", sa.Text), sa.column("description_fi", sa.Text),
        sa.column("active", sa.Boolean), sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(table, [
        {"code": code, "tier": tier, "points": points, "name_en": name_en, "name_fi": name_fi,
         "description_en": desc_en, "description_fi": desc_fi, "active": True,
         "created_at": now, "updated_at": now}
        for code, tier, points, name_en, name_fi, desc_en, desc_fi in DEFAULT_CRITERIA
    ])


def downgrade():
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index('ix_awards_team_id_created_at')
        batch_op.drop_index('ix_awards_employee_id_created_at')
    op.drop_table('awards')
    op.drop_table('team_supervisors')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_employee_id_id')
        batch_op.drop_index('ix_ledger_entries_at')
    op.drop_table('ledger_entries')
    op.drop_table('balances')
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employees_team_id'))
    op.drop_table('employees')
    op.drop_table('teams')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempts_username'))
        batch_op.drop_index(batch_op.f('ix_login_attempts_at'))
        batch_op.drop_index(batch_op.f('ix_login_attempts_address'))
    op.drop_table('login_attempts')
    op.drop_table('criteria')
