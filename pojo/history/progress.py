"""A background run's figures while its apply runs: written outside the apply's transaction.

PostgreSQL: into the run row itself, in a short transaction of its own on
another connection (the apply holds the upload's row locked, never this one).

SQLite has one writer per database file, and the apply's transaction holds
it until it commits: a run row written meanwhile would wait for the apply.
There the figures go to a small SQLite file beside the database
(`<database file>-progress`), which has a write lock of its own; `figures`
lays them over the run row. Every worker reads the same file, and SQLite
serves one machine only, so every worker sees them. The file holds nothing
but these figures: losing it loses the bar's fill, never an import.
"""

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update

from pojo.database import utcnow
from pojo.extensions import db
from pojo.history.models import ImportRun

SUFFIX = "-progress"
_TABLE = (
    "CREATE TABLE IF NOT EXISTS run_figures (import_id INTEGER PRIMARY KEY, token TEXT NOT NULL,"
    " stage TEXT NOT NULL, done INTEGER NOT NULL, total INTEGER NOT NULL, updated_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Figures:
    stage: str
    done: int
    total: int
    updated_at: datetime


def side_file() -> str | None:
    """The SQLite figures file of this app's database; None on PostgreSQL or in memory."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database + SUFFIX


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(_TABLE)
    return connection


def report(import_id: int, token: str, stage: str, done: int, total: int) -> None:
    """Record how far the run `token` of this upload got, visible to every worker at once."""
    now = utcnow()
    path = side_file()
    if db.engine.dialect.name == "sqlite":
        if path is None:
            return  # an in-memory database: one process, nobody else polls
        with closing(_connect(path)) as connection:
            connection.execute(
                "INSERT INTO run_figures VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (import_id) DO"
                " UPDATE SET token = excluded.token, stage = excluded.stage, done = excluded.done,"
                " total = excluded.total, updated_at = excluded.updated_at",
                (import_id, token, stage, done, total, now.isoformat()),
            )
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(ImportRun)
            .where(ImportRun.import_id == import_id, ImportRun.token == token)
            .values(stage=stage, done=done, total=total, updated_at=now)
        )


def figures(run: ImportRun) -> Figures:
    """The run's latest figures: its row's, or on SQLite the figures file's when fresher."""
    own = Figures(run.stage, run.done, run.total, run.updated_at)
    path = side_file()
    if path is None or run.status != "applying":
        return own
    try:
        with closing(_connect(path)) as connection:
            row = connection.execute(
                "SELECT stage, done, total, updated_at FROM run_figures"
                " WHERE import_id = ? AND token = ?",
                (run.import_id, run.token),
            ).fetchone()
    except sqlite3.Error:
        return own  # unreadable: the row's own figures still tell the status
    if row is None:
        return own
    at = datetime.fromisoformat(row[3]).astimezone(UTC)
    return Figures(row[0], row[1], row[2], at) if at > run.updated_at else own
