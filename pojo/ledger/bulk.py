"""Many backdated entries at once (history imports): the ledger's bulk equivalent of post_entry.

The same invariants, set-based: the affected balance rows are locked in
employee order, the entries inserted in the order given (the caller's time
order) with ids reserved up front, and each balance moved by its total; a
total that would leave a balance negative (or beyond a 32-bit integer)
refuses everything. No `points_credited` is sent: past credits make no goal
newly affordable today.

On PostgreSQL the rows go in with COPY; elsewhere with one executemany.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, text, update

from pojo.bounds import INT32
from pojo.database import utcnow
from pojo.errors import InsufficientPoints
from pojo.extensions import db
from pojo.ledger.models import Balance, LedgerEntry

CHUNK = 1000
COLUMNS = (
    "id",
    "employee_id",
    "points",
    "kind",
    "at",
    "created_at",
    "actor_id",
    "note",
    "reference",
)


class Entry(NamedTuple):
    employee_id: int
    points: int
    kind: str
    at: datetime
    note: str | None
    reference: str


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def reserve_ids(table: str, count: int) -> list[int]:
    """`count` new ids of `table`, ascending; no other writer can take them."""
    if count == 0:
        return []
    if _postgres():
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


def copy_rows(table: str, columns: Sequence[str], rows: Sequence[tuple], model=None) -> None:
    """Insert plain rows: COPY on PostgreSQL, one executemany through `model`'s table elsewhere."""
    if not rows:
        return
    if _postgres():
        raw = db.session.connection().connection.driver_connection
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for start in range(0, len(rows), 20_000):
                copy.write(
                    "".join(_copy_line(row) for row in rows[start : start + 20_000]).encode()
                )
        return
    statement = insert(model.__table__)
    for start in range(0, len(rows), 50_000):
        db.session.execute(
            statement,
            [dict(zip(columns, row, strict=True)) for row in rows[start : start + 50_000]],
        )


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
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


def _copy_line(row: tuple) -> str:
    return "\t".join(map(_copy_value, row)) + "\n"


def lock_balances(employee_ids: Sequence[int]) -> dict[int, int]:
    """The balances of these employees, write-locked in employee order (created at 0 if missing)."""
    ids = sorted(set(employee_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = db.session.execute(
            select(Balance.employee_id, Balance.points)
            .where(Balance.employee_id.in_(chunk))
            .order_by(Balance.employee_id)
            .with_for_update()
        )
        found.update(rows.all())
    missing = [employee_id for employee_id in ids if employee_id not in found]
    if missing:
        now = utcnow()
        db.session.execute(
            insert(Balance),
            [{"employee_id": i, "points": 0, "updated_at": now} for i in missing],
        )
        found.update(dict.fromkeys(missing, 0))
    return found


def post_history(entries: Sequence[Entry], *, actor_id: int | None) -> list[int]:
    """Append these entries (backdated, in the order given) and move each balance by its total.

    Returns the new entry ids, in input order. InsufficientPoints, and nothing
    kept by the caller's unit of work, when a final balance would be negative.
    """
    if any(entry.points == 0 for entry in entries):
        raise ValueError("a ledger entry moves at least one point")
    totals: dict[int, int] = {}
    for entry in entries:
        totals[entry.employee_id] = totals.get(entry.employee_id, 0) + entry.points
    balances = lock_balances(list(totals))
    for employee_id, total in totals.items():
        after = balances[employee_id] + total
        if after < 0 or after > INT32.maximum:
            raise InsufficientPoints(
                _("A balance would go out of range; nothing was imported."), balance=after
            )
    now = utcnow()
    if _postgres():
        ids = _copy_entries(entries, actor_id, now)
    else:
        ids = reserve_ids("ledger_entries", len(entries))
        copy_rows(
            "ledger_entries",
            COLUMNS,
            [
                (i, e.employee_id, e.points, e.kind, e.at, now, actor_id, e.note, e.reference)
                for i, e in zip(ids, entries, strict=True)
            ],
            LedgerEntry,
        )
    _set_balances(totals, now)
    return ids


def _copy_entries(entries: Sequence[Entry], actor_id: int | None, now: datetime) -> list[int]:
    """COPY the entries with ids from their sequence, and read the ids back (in input order).

    COPY takes each row's id in row order; when no other writer took ids
    meanwhile they are one contiguous block, which two numbers describe.
    """
    before = db.session.execute(text("SELECT COALESCE(MAX(id), 0) FROM ledger_entries")).scalar()
    reference = entries[0].reference
    fixed = f"\t{now.isoformat()}\t{_copy_value(actor_id)}\t"
    raw = db.session.connection().connection.driver_connection
    columns = "employee_id, points, kind, at, created_at, actor_id, note, reference"
    statement = f"COPY ledger_entries ({columns}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for start in range(0, len(entries), 20_000):
            copy.write(
                "".join(
                    f"{e.employee_id}\t{e.points}\t{e.kind}\t{e.at.isoformat()}{fixed}"
                    f"{_copy_value(e.note)}\t{e.reference}\n"
                    for e in entries[start : start + 20_000]
                ).encode()
            )
    low, high, count = db.session.execute(
        text(
            "SELECT MIN(id), MAX(id), COUNT(*) FROM ledger_entries"
            " WHERE id > :before AND reference = :reference"
        ),
        {"before": before, "reference": reference},
    ).one()
    if count == len(entries) and high - low + 1 == count:
        return list(range(low, high + 1))
    return list(
        db.session.scalars(
            text(
                "SELECT id FROM ledger_entries WHERE id > :before AND reference = :reference"
                " ORDER BY id"
            ),
            {"before": before, "reference": reference},
        )
    )


def _set_balances(totals: dict[int, int], now: datetime) -> None:
    """Each balance set to the sum of its entries, by one aggregate per chunk of employees."""
    ids = sorted(totals)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        summed = (
            select(func.coalesce(func.sum(LedgerEntry.points), 0))
            .where(LedgerEntry.employee_id == Balance.employee_id)
            .scalar_subquery()
        )
        db.session.execute(
            update(Balance)
            .where(Balance.employee_id.in_(chunk))
            .values(points=summed, updated_at=now)
            .execution_options(synchronize_session=False)
        )
