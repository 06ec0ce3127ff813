"""The schema comes only from migrations, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from pojo import create_app
from pojo.extensions import db
from tests.conftest import PG_URL, _reset_postgres_schema


def _fresh_url(backend, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    url = PG_URL.rsplit("/", 1)[0] + "/pojo_migrations_test"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = 'pojo_migrations_test'")
        ).first()
        if not exists:
            connection.execute(text("CREATE DATABASE pojo_migrations_test"))
    admin.dispose()
    _reset_postgres_schema(url)
    return url


def test_upgrade_downgrade_upgrade_and_models_match(backend, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": _fresh_url(backend, tmp_path), "TESTING": True})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"
        seeded = db.session.execute(text("SELECT COUNT(*) FROM criteria")).scalar_one()
        assert seeded >= 5
        db.session.remove()
        db.engine.dispose()
