"""The shifts' part of an employee's personal data download: shifts and calendar links."""

from sqlalchemy.orm import joinedload

from pojo.people.models import Employee
from pojo.rows import newest_rows
from pojo.shifts.models import CalendarFeed, Shift


def shifts(employee: Employee) -> list[dict]:
    """Their shifts, past and coming, newest first."""
    rows = newest_rows(
        Shift, Shift.employee_id == employee.id, Shift.starts_at, joinedload(Shift.team)
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
    rows = newest_rows(
        CalendarFeed, CalendarFeed.employee_id == employee.id, CalendarFeed.created_at
    )
    return [
        {"live": row.revoked_at is None, "created_at": row.created_at, "stopped_at": row.revoked_at}
        for row in rows
    ]


PARTS = {"shifts": shifts, "calendar_feeds": calendar_feeds}
