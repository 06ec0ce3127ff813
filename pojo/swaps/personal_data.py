"""The swaps' part of an employee's personal data download: the swaps they were part of."""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from pojo import bounds
from pojo.extensions import db
from pojo.people.models import Employee
from pojo.swaps.models import Swap


def _part(swap: Swap, employee: Employee) -> str:
    if swap.requested_by_id == employee.id:
        return "requested"
    if swap.taken_by_id == employee.id:
        return "took"
    return "offered_to"


def swaps(employee: Employee) -> list[dict]:
    """Each swap they asked for, took or were offered, newest first."""
    rows = db.session.scalars(
        select(Swap)
        .options(joinedload(Swap.shift))
        .where(
            or_(
                Swap.requested_by_id == employee.id,
                Swap.taken_by_id == employee.id,
                Swap.offered_to_id == employee.id,
            )
        )
        .order_by(Swap.created_at.desc(), Swap.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
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
