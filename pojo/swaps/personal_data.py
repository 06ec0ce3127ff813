"""The swaps' part of an employee's personal data download: the swaps they were part of."""

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from pojo.people.models import Employee
from pojo.rows import newest_rows
from pojo.swaps.models import Swap


def _part(swap: Swap, employee: Employee) -> str:
    if swap.requested_by_id == employee.id:
        return "requested"
    if swap.taken_by_id == employee.id:
        return "took"
    return "offered_to"


def swaps(employee: Employee) -> list[dict]:
    """Each swap they asked for, took or were offered, newest first."""
    rows = newest_rows(
        Swap,
        or_(
            Swap.requested_by_id == employee.id,
            Swap.taken_by_id == employee.id,
            Swap.offered_to_id == employee.id,
        ),
        Swap.created_at,
        joinedload(Swap.shift),
    )
    return [
        {
            "part": _part(row, employee),
            "shift_starts_at": row.shift.starts_at,
            "shift_ends_at": row.shift.ends_at,
            "status": row.status,
            "created_at": row.created_at,
            "taken_at": row.taken_at if row.taken_by_id == employee.id else None,
            "closed_at": row.closed_at,
            "close_note": row.close_note,
        }
        for row in rows
    ]


PARTS = {"swaps": swaps}
