"""Writing many plain rows fast, in chunks that report how far they got (history imports).

PostgreSQL takes them with a binary COPY: psycopg formats each row in C, in
about a third of the client's time that text lines built in Python took, and
the server parses no text. A thread of ours sends the data while the next
rows are formatted, so on two cores Python and the server can work at once
(with psycopg's plain writer the server waited while Python formatted); the
queue between them is short (`AHEAD` buffers of psycopg's 32 KB), so rows
counted as written are at most a few thousand ahead of what the server has
received. SQLite takes them as one executemany a chunk.
"""

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from psycopg.copy import LibpqWriter
from sqlalchemy import insert, text

from pojo.extensions import db

# Rows a chunk; `written` is called after each.
CHUNK_ROWS = 20_000
AHEAD = 2

Written = Callable[[int], None]


def postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def reserve_ids(table: str, count: int) -> list[int]:
    """`count` new ids of `table`, ascending; no other writer can take them."""
    if count == 0:
        return []
    if postgres():
        # Each nextval is atomic, so no other writer gets these ids (gaps are fine).
        ids = db.session.execute(
            text(
                "SELECT array_agg(id ORDER BY id) FROM (SELECT nextval("
                "pg_get_serial_sequence(:table, 'id')) AS id FROM generate_series(1, :n)) reserved"
            ),
            {"table": table, "n": count},
        ).scalar_one()
        return list(ids)
    # SQLite: the transaction began with BEGIN IMMEDIATE, so nobody else writes meanwhile.
    top = db.session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()
    return list(range(top + 1, top + 1 + count))


class _SendingWriter(LibpqWriter):
    """psycopg's COPY writer with the sending in a thread of its own, behind a short queue."""

    def __init__(self, cursor):
        super().__init__(cursor)
        self._chunks: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._send, name="copy-sender", daemon=True)
        self._thread.start()

    def _send(self) -> None:
        while (data := self._chunks.get()) is not None:
            if self._error is None:
                try:
                    super().write(data)
                except BaseException as error:  # handed to the caller's next write or finish
                    self._error = error

    def write(self, data) -> None:
        if self._error is not None:
            raise self._error
        self._chunks.put(data)

    def finish(self, exc: BaseException | None = None) -> None:
        self._chunks.put(None)
        self._thread.join()
        if self._error is not None and exc is None:
            raise self._error
        super().finish(exc)


def _chunks(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk


def copy_rows(
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Iterable[tuple],
    model=None,
    written: Written | None = None,
) -> int:
    """Insert plain rows (in `columns` order): a binary COPY on PostgreSQL (`types` are the
    columns' PostgreSQL type names), an executemany a chunk through `model`'s table elsewhere;
    `written(rows so far)` after each chunk. Returns the rows written."""
    done = 0
    if postgres():
        raw = db.session.connection().connection.driver_connection
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
        with raw.cursor() as cursor, cursor.copy(statement, writer=_SendingWriter(cursor)) as copy:
            copy.set_types(types)
            write = copy.write_row
            for chunk in _chunks(rows):
                for row in chunk:
                    write(row)
                done += len(chunk)
                if written:
                    written(done)
        return done
    statement = insert(model.__table__)
    for chunk in _chunks(rows):
        db.session.execute(statement, [dict(zip(columns, row, strict=True)) for row in chunk])
        done += len(chunk)
        if written:
            written(done)
    return done
