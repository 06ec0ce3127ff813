"""A consistent copy of a live SQLite database, and the checks a restore makes first.

The copy is SQLite's online backup API (`sqlite3.Connection.backup`), a
chunk of pages a step so that `flask backup` can show how far it is. When
the app writes between two steps SQLite starts the copy over at the next
step, so the copy is still the database as of one moment; after
`MAX_RESTARTS` such restarts (a busy database could restart it forever) the
rest is copied in one step, inside one read transaction (in WAL mode readers
and writers do not block each other). Restoring is the same API the other way
round, holding the live database's write lock while it copies.
"""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

HEADER = b"SQLite format 3\x00"
# Pages a backup step copies (4 MB at SQLite's default page size), and the restarts tolerated.
STEP_PAGES = 1024
MAX_RESTARTS = 3
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


class _Restarted(Exception):
    """The app wrote during a stepped backup too often: copy the rest in one step."""


def _stepped(live: sqlite3.Connection, out: sqlite3.Connection, progress) -> None:
    """The backup a chunk at a time, `progress(done, total)` in pages after each chunk."""
    restarts = 0
    done_before = 0

    def step(_status, remaining: int, total: int) -> None:
        nonlocal restarts, done_before
        done = total - remaining
        if done <= done_before:
            restarts += 1  # SQLite started over: the source changed between two steps
            if restarts > MAX_RESTARTS:
                raise _Restarted
        done_before = done
        progress(done, total)

    try:
        live.backup(out, pages=STEP_PAGES, progress=step)
    except _Restarted:
        live.backup(out)
        pages = out.execute("PRAGMA page_count").fetchone()[0]
        progress(pages, pages)


def copy(source: Path, target: Path, progress=None) -> None:
    """Copy the live database `source` to a new file `target`, consistently, while it is in use.

    Written to a temporary name beside `target` and renamed at the end, so a failed
    or interrupted backup never leaves a half-written file under the backup's name.
    `progress(done, total)`, in pages, is called as the copy goes on.
    """
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(_open(source, read_only=True)) as live,
            closing(sqlite3.connect(partial)) as out,
        ):
            if progress is None:
                live.backup(out)
            else:
                _stepped(live, out, progress)
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
