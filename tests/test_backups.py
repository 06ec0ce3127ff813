"""Backups: a copy taken while the app writes restores to exactly that moment, and verifies."""

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pojo import ROOT, create_app
from pojo.extensions import db
from pojo.ledger.models import Balance, LedgerEntry
from pojo.ledger.verify import run_checks
from pojo.people.service import find_employee
from tests.market_helpers import give_points

FLASK = str(Path(sys.executable).with_name("flask"))


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("flask backup and restore copy SQLite files")


@pytest.fixture
def postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("the PostgreSQL scripts")


def balance_of(app, username) -> int | None:
    with app.app_context():
        employee = find_employee(username)
        if employee is None:
            return None
        return db.session.scalar(select(Balance.points).where(Balance.employee_id == employee.id))


def find_employee_after(app, username):
    with app.app_context():
        return find_employee(username)


def entry_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LedgerEntry))


def test_a_restored_backup_is_the_data_as_at_the_backup_and_verifies(
    sqlite_only, app, runner, make_employee, tmp_path
):
    agent = make_employee()
    give_points(app, agent, 50)
    file = tmp_path / "pojo-backup.sqlite3"

    made = runner.invoke(args=["backup", str(file)])
    assert made.exit_code == 0, made.output
    assert "1 ledger entries" in made.output

    give_points(app, agent, 30)
    newcomer = make_employee()
    assert balance_of(app, agent) == 80

    restored = runner.invoke(args=["restore", str(file), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "invariants hold" in restored.output
    assert balance_of(app, agent) == 50
    assert find_employee_after(app, newcomer) is None
    assert entry_count(app) == 1


def test_restore_asks_first_and_a_no_changes_nothing(
    sqlite_only, app, runner, make_employee, tmp_path
):
    agent = make_employee()
    file = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    give_points(app, agent, 30)

    refused = runner.invoke(args=["restore", str(file)], input="n\n")

    assert refused.exit_code != 0
    assert "Replace everything" in refused.output
    assert balance_of(app, agent) == 30


def test_backup_never_overwrites_a_file(sqlite_only, app, runner, tmp_path):
    file = tmp_path / "taken.sqlite3"
    file.write_text("an older backup")

    result = runner.invoke(args=["backup", str(file)])

    assert result.exit_code != 0
    assert "exists already" in result.output
    assert file.read_text() == "an older backup"


def test_restore_refuses_what_is_not_a_pojo_database(
    sqlite_only, app, runner, make_employee, tmp_path
):
    agent = make_employee()
    give_points(app, agent, 40)
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    connection.close()

    for file, reason in (
        (text, "is not an SQLite database"),
        (other, "not Pojo's"),
        (tmp_path / "missing.sqlite3", "does not exist"),
    ):
        result = runner.invoke(args=["restore", str(file), "--yes"])
        assert result.exit_code != 0
        assert "Not restored" in result.output and reason in result.output
    assert balance_of(app, agent) == 40


def test_a_backup_taken_while_points_are_written_is_consistent(
    sqlite_only, app, runner, make_employee, tmp_path
):
    agent = make_employee()
    give_points(app, agent, 1)
    file = tmp_path / "online.sqlite3"
    writing, stop = threading.Event(), threading.Event()

    def keep_awarding():
        while not stop.is_set():
            give_points(app, agent, 1)
            writing.set()

    writer = threading.Thread(target=keep_awarding)
    writer.start()
    try:
        writing.wait()
        result = runner.invoke(args=["backup", str(file)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output

    copy = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{file}", "TESTING": True},
    )
    with copy.app_context():
        assert [check.name for check in run_checks() if check.violations] == []
        entries = db.session.scalar(select(func.count()).select_from(LedgerEntry))
        assert db.session.scalar(select(func.sum(Balance.points))) == entries
        db.engine.dispose()


def test_flask_backup_points_postgresql_to_the_scripts(postgres_only, app, runner, tmp_path):
    for command, script in (("backup", "backup-postgres.sh"), ("restore", "restore-postgres.sh")):
        result = runner.invoke(args=[command, str(tmp_path / "x.dump")])
        assert result.exit_code != 0
        assert f"scripts/{script}" in result.output and "docs/backups.md" in result.output


def test_the_postgresql_scripts_restore_a_backup_that_verifies(
    postgres_only, app, make_employee, databases, backend, tmp_path
):
    agent = make_employee()
    give_points(app, agent, 50)
    file = tmp_path / "pojo.dump"
    environment = {**os.environ, "DATABASE_URL": databases[backend].url, "FLASK": FLASK}

    def script(*args, **options):
        return subprocess.run(
            [str(ROOT / "scripts" / args[0]), *args[1:]],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            **options,
        )

    made = script("backup-postgres.sh", str(file))
    assert made.returncode == 0, made.stderr
    give_points(app, agent, 30)
    newcomer = make_employee()
    not_pojo = tmp_path / "notes.txt"
    not_pojo.write_text("hello")
    assert script("restore-postgres.sh", "--yes", str(not_pojo)).returncode != 0
    assert script("restore-postgres.sh", str(file), input="n\n").returncode != 0
    assert balance_of(app, agent) == 80

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    restored = script("restore-postgres.sh", "--yes", str(file))

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "invariants hold" in restored.stdout
    assert balance_of(app, agent) == 50
    assert find_employee_after(app, newcomer) is None
