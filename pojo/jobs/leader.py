"""Which of several `flask --app pojo scheduler` processes runs the jobs: the one that
holds the leader lock. Every other one waits and tries again every
SCHEDULER_RETRY_SECONDS, so one may run on every machine and one leads.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a
connection of its own, outside the pool. The server releases it when that
session ends: the process exits or is killed (its socket closes), or the
server stops hearing from it (TCP keepalives and `idle_session_timeout`,
set below, end a session whose machine vanished). The leader pings the
session each interval and steps down when it is gone.

SQLite: the database lives on one machine (SQLite's own locking is not safe
on a network file system), so an exclusive `flock` on a file beside it is
the lock; the kernel releases it the moment its holder dies.

Holding the lock decides who triggers jobs; `registry.run_scheduled` claims
each (job, period) first, so a period never runs twice even in the moment
two processes both believe they lead.
"""

import contextlib
import fcntl
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

# pg_try_advisory_lock's key: "pojo" in ASCII, the scheduler's and nothing else's.
LOCK_KEY = 0x706F6A6F


class AdvisoryLock:
    """The PostgreSQL leader lock, held on one dedicated connection."""

    def __init__(self, url: str, retry_seconds: int):
        self.engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.retry_seconds = retry_seconds
        self.connection = None
        self.held = False

    def _connect(self):
        connection = self.engine.connect()
        quiet = max(1, self.retry_seconds)
        # The server gives up on a silent peer in about three intervals, not hours.
        for name, value in (
            ("tcp_keepalives_idle", quiet),
            ("tcp_keepalives_interval", quiet),
            ("tcp_keepalives_count", 3),
            ("idle_session_timeout", f"{quiet * 6}s"),
        ):
            # idle_session_timeout is PostgreSQL 14's; without it the keepalives still hold.
            with contextlib.suppress(DBAPIError):
                connection.execute(text(f"SET {name} = '{value}'"))
        return connection

    def hold(self) -> bool:
        """True while this process leads: takes the lock when free, else checks it still has it."""
        try:
            if self.connection is None:
                self.connection = self._connect()
            if self.held:
                self.connection.execute(text("SELECT 1"))
            else:
                self.held = bool(
                    self.connection.scalar(
                        text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
                    )
                )
            return self.held
        except DBAPIError:
            # The session is gone, and the lock with it: start again on a new one.
            self.close()
            return False

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(DBAPIError):
                self.connection.close()
        self.connection, self.held = None, False
        self.engine.dispose()


class FileLock:
    """The SQLite leader lock: an exclusive flock on `path`."""

    def __init__(self, path: Path):
        self.path = path
        self.handle = None

    def hold(self) -> bool:
        if self.handle is not None:
            return True
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.handle = handle
        return True

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing releases the flock
            self.handle = None


def leader_lock(url, instance_path: str, retry_seconds: int) -> AdvisoryLock | FileLock:
    """The leader lock for the database at `url` (a SQLAlchemy URL object)."""
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(url, retry_seconds)
    database = url.database
    if database and database != ":memory:":
        return FileLock(Path(f"{database}.scheduler-lock"))
    return FileLock(Path(instance_path) / "scheduler-lock")
