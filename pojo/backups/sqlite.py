"""A consistent copy of a live SQLite database, and the checks a restore makes first.

The copy is SQLite's online backup API (`sqlite3.Connection.backup`) in one
step: it reads every page inside one read transaction, so the copy is the
database as of one moment even while the app writes (in WAL mode readers and
writers do not block each other). Restoring is the same API the other way
round, holding the live database's write lock while it copies.
"""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

HEADER = b"SQLite format 3\x00"
# Tables every Pojo database has had since its first revision.
POJO_TABLES = ("alembic_version", "employees", "ledger_entries", "balances")
BUSY_TIMEOUT_SECONDS = 30


class NotAPojoDatabase(Exception):
    """The file is not a readable Pojo SQLite database; the message says why."""


@dataclass(frozen=True)
class Described:
    revision: str
    entries: int
    employees: int


def _open(path: Path, *, read_only: bool) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)


def copy(source: Path, target: Path) -> None:
    """Copy the live database `source` to a new file `target`, consistently, while it is in use.

    Written to a temporary name beside `target` and renamed at the end, so a failed
    or interrupted backup never leaves a half-written file under the backup's name.
    """
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(_open(source, read_only=True)) as live,
            closing(sqlite3.connect(partial)) as out,
        ):
            live.backup(out)
            # One self-contained file: no -wal beside it to forget when it is copied away.
            out.execute("PRAGMA journal_mode=DELETE")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def describe(path: Path) -> Described:
    """What the backup holds; NotAPojoDatabase when it is not a Pojo database."""
    if not path.is_file():
        raise NotAPojoDatabase(f"{path} does not exist or is not a file")
    with path.open("rb") as file:
        if file.read(len(HEADER)) != HEADER:
            raise NotAPojoDatabase(f"{path} is not an SQLite database")
    try:
        with closing(_open(path, read_only=True)) as backup:
            if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise NotAPojoDatabase(f"{path} is damaged (PRAGMA quick_check fails)")
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
            missing = [table for table in POJO_TABLES if table not in tables]
            if missing:
                raise NotAPojoDatabase(f"{path} has no {', '.join(missing)} table: not Pojo's")
            revision = backup.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None:
                raise NotAPojoDatabase(f"{path} records no schema revision")
            entries = backup.execute("SELECT count(*) FROM ledger_entries").fetchone()[0]
            employees = backup.execute("SELECT count(*) FROM employees").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise NotAPojoDatabase(f"{path} cannot be read as SQLite: {error}") from None
    return Described(revision[0], entries, employees)


def restore(backup: Path, live: Path) -> None:
    """Replace every page of the `live` database with the `backup`'s, under its write lock."""
    with (
        closing(_open(backup, read_only=True)) as source,
        closing(_open(live, read_only=False)) as out,
    ):
        source.backup(out)
