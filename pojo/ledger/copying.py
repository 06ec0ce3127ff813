"""Writing many plain rows fast, in chunks that report how far they got (history imports).

PostgreSQL takes them with COPY. A thread of ours sends each chunk while
the next one is formatted, so on two cores Python and the server work at
once (with psycopg's plain writer the server waited while Python formatted);
the queue between them is short, so a chunk counted as written is at most
`AHEAD` chunks ahead of what the server has received. SQLite takes them as
one executemany a chunk.
"""

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

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


def copy_lines(
    statement: str, chunks: Iterable[tuple[str, int]], written: Written | None = None
) -> None:
    """PostgreSQL: run `statement` (COPY ... FROM STDIN) with these (text, rows) chunks."""
    raw = db.session.connection().connection.driver_connection
    done = 0
    with raw.cursor() as cursor, cursor.copy(statement, writer=_SendingWriter(cursor)) as copy:
        for data, rows in chunks:
            copy.write(data.encode())
            done += rows
            if written:
                written(done)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def copy_text(value: str | None) -> str:
    """A text field (or NULL) in COPY's text format."""
    return "\\N" if value is None else value.translate(_ESCAPES)


def copy_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple],
    model=None,
    written: Written | None = None,
) -> None:
    """Insert plain rows: COPY on PostgreSQL, an executemany a chunk through `model`'s table
    elsewhere; `written(rows so far)` after each chunk."""
    if not rows:
        return
    if postgres():
        copy_lines(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN",
            (
                (
                    "".join(
                        "\t".join(map(copy_value, row)) + "\n"
                        for row in rows[start : start + CHUNK_ROWS]
                    ),
                    len(rows[start : start + CHUNK_ROWS]),
                )
                for start in range(0, len(rows), CHUNK_ROWS)
            ),
            written,
        )
        return
    statement = insert(model.__table__)
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        db.session.execute(statement, [dict(zip(columns, row, strict=True)) for row in chunk])
        if written:
            written(start + len(chunk))
