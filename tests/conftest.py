"""Test fixtures: an app per database backend, a clean database per test,
factory fixtures for people, and a ledger check after every test.

The suite runs on SQLite always, and on PostgreSQL too when
POJO_TEST_DATABASE_URL is set (every app-level test runs once per backend).
"""

import os
import re
import uuid
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from pojo import FEATURES, create_app
from pojo.extensions import db
from pojo.ledger.verify import run_checks
from pojo.people import service as people
from pojo.unit_of_work import unit_of_work

# The `smtp_server` fixture: a real SMTP server for tests of e-mail (tests/smtp_server.py).
pytest_plugins = ["tests.smtp_server"]

PG_URL = os.environ.get("POJO_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORD = "correct horse 1"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile each catalogue whose .mo (build output, not committed) is missing or stale.

    `make test` compiles first; this keeps a bare `pytest` from showing Finnish
    users English pages. Written beside the .po, where the app looks, via a
    temporary file so a parallel run never reads half a catalogue.
    """
    for po_path in Path(__file__).parent.parent.glob("pojo/translations/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        partial.replace(mo_path)


def _reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Database:
    """A migrated database and the rows the migrations seeded, for resetting between tests."""

    def __init__(self, url: str):
        self.url = url
        self.seed: dict[str, list[dict]] = {}

    def migrate(self) -> None:
        app = create_app({"SQLALCHEMY_DATABASE_URI": self.url, "TESTING": True})
        with app.app_context():
            upgrade()
            for table in db.metadata.sorted_tables:
                rows = db.session.execute(table.select()).mappings().all()
                if rows:
                    self.seed[table.name] = [dict(row) for row in rows]
            db.session.remove()
            db.engine.dispose()

    def reset(self) -> None:
        """Empty every table and put the migrations' seed rows back."""
        tables = db.metadata.sorted_tables
        with unit_of_work():
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(t.name for t in tables)
                db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                # The audit log refuses DELETE (its triggers): lift them while emptying it.
                triggers = db.session.execute(
                    text(
                        "SELECT name, sql FROM sqlite_master "
                        "WHERE type = 'trigger' AND tbl_name = 'audit_entries'"
                    )
                ).all()
                for name, _sql in triggers:
                    db.session.execute(text(f"DROP TRIGGER {name}"))
                for table in reversed(tables):
                    db.session.execute(table.delete())
                for _name, sql in triggers:
                    db.session.execute(text(sql))
            for table in tables:
                if table.name in self.seed:
                    db.session.execute(table.insert(), self.seed[table.name])
        if db.engine.dialect.name == "postgresql":
            with unit_of_work():
                for table in tables:
                    if table.name in self.seed and "id" in table.c:
                        db.session.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                            )
                        )


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    # A fixed path (the Makefile's) lets `flask ledger verify` check what the last test left.
    sqlite_path = os.environ.get("POJO_TEST_SQLITE_PATH")
    path = (
        Path(sqlite_path).resolve()
        if sqlite_path
        else tmp_path_factory.mktemp("db") / "pojo-test.sqlite3"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    found = {"sqlite": Database(f"sqlite:///{path}")}
    if PG_URL:
        _reset_postgres_schema(PG_URL)
        found["postgresql"] = Database(PG_URL)
    for database in found.values():
        database.migrate()
    return found


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def make_app(databases, backend):
    """Build an app on this test's backend; extra config as keyword arguments, and the
    feature packages to plug in as `features` (all by default)."""
    made = []

    def factory(features=FEATURES, **overrides):
        config = {
            "SQLALCHEMY_DATABASE_URI": databases[backend].url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "SERVER_NAME": "pojo.test",
            # Tests read English unless they ask for Finnish (the site default is Finnish).
            "DEFAULT_LANGUAGE": "en",
        }
        config.update(overrides)
        app = create_app(config, features)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app_overrides() -> dict:
    """Extra config for the `app` fixture: a test module overrides this fixture to change it
    (tests/test_mail.py points the app at its SMTP server)."""
    return {}


@pytest.fixture
def app(make_app, databases, backend, app_overrides):
    app = make_app(**app_overrides)
    with app.app_context():
        databases[backend].reset()
    yield app
    with app.app_context():
        db.session.remove()
        # On fresh connections: a test may have dropped the pooled ones (there is no pre-ping).
        db.engine.dispose()
        broken = [result for result in run_checks() if result.violations]
        assert not broken, f"ledger invariants broken after the test: {broken}"


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_employee(app):
    """Create and commit an employee: make_employee(role="agent", team="Alpha", temp=False, ...)."""

    def factory(
        username=None,
        *,
        role="agent",
        team="Alpha",
        temp=False,
        active=True,
        language="en",
        tour_seen=True,
        **extra,
    ):
        """`tour_seen=False` makes a truly new person, shown the tour at their first login."""
        username = username or f"{role}-{uuid.uuid4().hex[:6]}"
        with app.app_context(), unit_of_work():
            employee = people.create_employee(
                username,
                role=role,
                team_name=team,
                password=PASSWORD,
                display_name=extra.pop("display_name", username.title()),
                employment_type="temp" if temp else "permanent",
                agency_name="Staffpoint" if temp else None,
                language=language,
                **extra,
            )
            employee.active = active
            employee.tour_seen_at = employee.created_at if tour_seen else None
            return employee.username

    return factory


@pytest.fixture
def quick_passwords(monkeypatch):
    """One round of hashing for a test that makes many accounts, where scrypt's cost is not
    under test (the access matrix makes seven a visitor)."""
    monkeypatch.setattr(people, "PASSWORD_METHOD", "pbkdf2:sha256:1")


@pytest.fixture
def login(app):
    """Log a test client in through the real login form."""

    def do_login(client, username, password=PASSWORD):
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do_login


@pytest.fixture
def client_as(app, make_employee, login):
    """A logged-in client for a new employee: client_as("supervisor", team="Alpha")."""

    def factory(role="agent", **kwargs):
        username = make_employee(role=role, **kwargs)
        client = app.test_client()
        login(client, username)
        client.username = username
        return client

    return factory


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)
