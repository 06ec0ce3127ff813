"""Counting the SQL statements a request or a call runs: pins a page's queries to a constant."""

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from pojo.extensions import db


@contextmanager
def counting_statements(app) -> Iterator[list[str]]:
    """Collect every statement run inside the block into the list it yields."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", listener)


def statements_for(app, client, path: str) -> int:
    """How many statements GET `path` runs (it must answer 200)."""
    with counting_statements(app) as seen:
        response = client.get(path)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return len(seen)


@contextmanager
def round_trips(app) -> Iterator[list[str]]:
    """What the app sends PostgreSQL inside the block, one entry per round trip.

    Read from libpq's own protocol trace, so it shows what no SQLAlchemy event does:
    psycopg's BEGIN and COMMIT, and any ping. Each entry is the statement's text
    ("BEGIN", "COMMIT", "SELECT ..."). The list is filled when the block ends.
    """
    from psycopg import pq

    sent: list[str] = []
    traced = []
    with app.app_context():
        engine = db.engine
    with tempfile.TemporaryFile() as trace:

        def _trace(dbapi_connection, _record, _proxy):
            dbapi_connection.pgconn.trace(trace.fileno())
            dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
            traced.append(dbapi_connection)

        event.listen(engine, "checkout", _trace)
        try:
            yield sent
        finally:
            event.remove(engine, "checkout", _trace)
            for dbapi_connection in traced:
                if not dbapi_connection.closed:
                    dbapi_connection.pgconn.untrace()
            trace.seek(0)
            sent.extend(_round_trips(trace.read().decode(errors="replace")))


def _round_trips(trace: str) -> Iterator[str]:
    """Each simple Query, and each extended-protocol Sync with the text Parse gave it."""
    messages: list[str] = []
    for line in trace.splitlines():  # a statement's own newlines continue its message
        if _MESSAGE.match(line) or not messages:
            messages.append(line)
        else:
            messages[-1] += "\n" + line
    parsed = ""
    for message in messages:
        if message.startswith("F\t"):
            kind = message.split("\t")[2]
            if kind == "Query":
                yield message.split("\t", 3)[3].strip().strip('"')
            elif kind == "Parse":
                parsed = _PARSED.search(message).group(1)
            elif kind == "Bind" and not parsed:
                # A statement psycopg prepared on an earlier use (its prepare_threshold): no
                # Parse this time, only the prepared name. BEGIN and COMMIT are never prepared.
                bound = _BOUND.search(message)
                parsed = f"PREPARED {bound.group(1) if bound else ''}".strip()
            elif kind == "Sync":
                yield parsed
                parsed = ""


_MESSAGE = re.compile(r"[FB]\t\d+\t\w+")
_PARSED = re.compile(r'Parse\t "[^"]*" "(.*)" \d+', re.S)
_BOUND = re.compile(r'Bind\t "[^"]*" "([^"]*)"')
