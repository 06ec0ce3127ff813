"""The shifts' part of an employee's personal data download: shifts and calendar links."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo import bounds
from pojo.extensions import db
from pojo.people.models import Employee
from pojo.shifts.models import CalendarFeed, Shift


def shifts(employee: Employee) -> list[dict]:
    """Their shifts, past and coming, newest first."""
    rows = db.session.scalars(
        select(Shift)
        .options(joinedload(Shift.team))
        .where(Shift.employee_id == employee.id)
        .order_by(Shift.starts_at.desc(), Shift.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
    )
    return [
        {
            "starts_at": row.starts_at,
            "ends_at": row.ends_at,
            "label": row.label,
            "team": row.team.name,
        }
        for row in rows
    ]


def calendar_feeds(employee: Employee) -> list[dict]:
    """Their calendar links: when each was made and stopped (never the secret link)."""
    rows = db.session.scalars(
        select(CalendarFeed)
        .where(CalendarFeed.employee_id == employee.id)
        .order_by(CalendarFeed.created_at.desc(), CalendarFeed.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
    )
    return [
        {"live": row.revoked_at is None, "created_at": row.created_at, "stopped_at": row.revoked_at}
        for row in rows
    ]


PARTS = {"shifts": shifts, "calendar_feeds": calendar_feeds}
