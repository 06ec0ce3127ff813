"""Declarative base, column types and per-connection database settings."""

import re
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A datetime that is always timezone-aware UTC in Python.

    SQLite keeps no zone, so values are stored as naive UTC there and made
    aware again on the way out; PostgreSQL stores timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _fold(text):
    return text.lower() if isinstance(text, str) else text


def configure_sqlite(engine: Engine) -> None:
    """Make SQLite safe for concurrent writers.

    pysqlite's own transaction handling is switched off and every
    transaction starts with BEGIN IMMEDIATE (the SQLAlchemy-documented
    recipe, issued by `configure_transactions`): SQLite has no row locks, so
    a transaction that reads and then writes must hold the write lock from
    its start, or two of them could both read a balance and both spend it.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # SQLite's lower() folds ASCII only: searches fold "Äijälä" as PostgreSQL does (pojo.search).
        dbapi_connection.create_function("pojo_fold", 1, _fold, deterministic=True)


# Set on a connection whose transaction is deferred to its first write.
_DEFERRED = "pojo.deferred_begin"
# A statement that only reads, needing no transaction: a SELECT that takes no lock.
_PLAIN_READ = re.compile(
    r"\s*SELECT\b(?!.*\bFOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)\b)(?!.*_xact_lock)", re.I | re.S
)


def needs_transaction(statement: str) -> bool:
    """True unless `statement` is a SELECT without locks (rows, advisory or otherwise)."""
    return _PLAIN_READ.match(statement) is None


def configure_transactions(engine: Engine, reads_only: Callable[[], bool]) -> None:
    """Begin no transaction for work that only reads; open it at the first write.

    While `reads_only()` holds (a GET or HEAD request), a transaction SQLAlchemy
    begins sends nothing: on PostgreSQL the connection runs in autocommit, so a
    read-only page costs no BEGIN and no COMMIT round trip, and on SQLite it
    takes no write lock (BEGIN IMMEDIATE), so readers never queue behind
    writers. Each read then stands alone, as under READ COMMITTED inside a
    transaction, where every statement sees its own snapshot too. The first
    statement that needs a transaction (see `needs_transaction`) opens one just
    before it runs, so whatever a GET writes is still committed, or rolled
    back, all together at the commit point. Committing or rolling back with no
    transaction open sends nothing (psycopg and sqlite3 both skip it).

    Everything else (POST, CLI, jobs) begins as before: BEGIN on PostgreSQL,
    BEGIN IMMEDIATE on SQLite.
    """
    sqlite = engine.dialect.name == "sqlite"

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        deferred = reads_only() and "isolation_level" not in connection.get_execution_options()
        connection.info[_DEFERRED] = deferred
        if sqlite:
            if not deferred:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.connection.dbapi_connection.autocommit != deferred:
            # psycopg sends its BEGIN lazily, before the first statement: nothing is open yet.
            connection.connection.dbapi_connection.autocommit = deferred

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_first_write(connection, cursor, statement, *_args):
        if connection.info.get(_DEFERRED) and needs_transaction(statement):
            connection.info[_DEFERRED] = False
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            else:
                # psycopg now sends BEGIN before this statement, and COMMIT at commit().
                connection.connection.dbapi_connection.autocommit = False


def is_connection_failure(error: BaseException | None) -> bool:
    """True when `error` means the database could not be reached or the connection was lost.

    Such a failure is nobody's fault and passes: the caller answers 503 and may
    try again on a fresh connection. SQLAlchemy marks a lost connection as
    invalidated; OperationalError also covers refused connections, and a pool
    timeout means every connection is busy.
    """
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError)


def upsert(bind, table):
    """An INSERT for `bind`'s dialect, with its ON CONFLICT clauses (PostgreSQL or SQLite)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql if bind.dialect.name == "postgresql" else sqlite).insert(table)
