"""Many backdated entries at once (history imports): the ledger's bulk equivalent of post_entry.

The same invariants, set-based: the affected balance rows are locked in
employee order, the entries inserted in the order given (the caller's time
order) with ids reserved up front, and each balance moved by its total; a
total that would leave a balance negative (or beyond a 32-bit integer)
refuses everything (and `CHECK (points >= 0)` on balances is the last net).
No `points_credited` is sent: past credits make no goal newly affordable
today.

On PostgreSQL the rows go in with a binary COPY; elsewhere with an
executemany a chunk (`pojo.ledger.copying`), reporting the rows written
after each chunk.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, text, update

from pojo.bounds import INT32
from pojo.database import utcnow
from pojo.errors import InsufficientPoints
from pojo.extensions import db
from pojo.ledger.copying import Written, copy_rows, postgres, reserve_ids
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
# COLUMNS' PostgreSQL types, for the binary COPY.
TYPES = (
    "int4",
    "int4",
    "int4",
    "varchar",
    "timestamptz",
    "timestamptz",
    "int4",
    "varchar",
    "varchar",
)


class Entry(NamedTuple):
    employee_id: int
    points: int
    kind: str
    at: datetime
    note: str | None
    reference: str


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


def post_history(
    entries: Sequence[Entry], *, actor_id: int | None, written: Written | None = None
) -> list[int]:
    """Append these entries (backdated, in the order given) and move each balance by its total.

    Returns the new entry ids, in input order. InsufficientPoints, and nothing
    kept by the caller's unit of work, when a final balance would be negative.
    `written(entries so far)` is called after each chunk of rows.
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
    if postgres():
        ids = _copy_entries(entries, actor_id, now, written)
    else:
        ids = reserve_ids("ledger_entries", len(entries))
        copy_rows(
            "ledger_entries",
            COLUMNS,
            TYPES,
            (
                (i, e.employee_id, e.points, e.kind, e.at, now, actor_id, e.note, e.reference)
                for i, e in zip(ids, entries, strict=True)
            ),
            LedgerEntry,
            written,
        )
    _set_balances(totals, now)
    return ids


def _copy_entries(
    entries: Sequence[Entry], actor_id: int | None, now: datetime, written: Written | None
) -> list[int]:
    """COPY the entries with ids from their sequence, and read the ids back (in input order).

    COPY takes each row's id in row order; when no other writer took ids
    meanwhile they are one contiguous block, which two numbers describe.
    """
    before = db.session.execute(text("SELECT COALESCE(MAX(id), 0) FROM ledger_entries")).scalar()
    reference = entries[0].reference
    copy_rows(
        "ledger_entries",
        COLUMNS[1:],
        TYPES[1:],
        (
            (e.employee_id, e.points, e.kind, e.at, now, actor_id, e.note, reference)
            for e in entries
        ),
        written=written,
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
    """Move each (locked) balance by its total: one executemany of a grouped UPDATE's rows."""
    table = Balance.__table__  # Core: a plain executemany, not the ORM's bulk update
    db.session.execute(
        update(table)
        .where(table.c.employee_id == bindparam("employee"))
        .values(points=table.c.points + bindparam("total"), updated_at=now),
        [
            {"employee": employee_id, "total": total}
            for employee_id, total in sorted(totals.items())
        ],
    )
