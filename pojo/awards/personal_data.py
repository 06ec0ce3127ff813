"""The awards' part of an employee's personal data download: the awards they received."""

from sqlalchemy.orm import joinedload

from pojo.awards.models import Award
from pojo.people.models import Employee
from pojo.rows import newest_rows


def awards_received(employee: Employee) -> list[dict]:
    """Each award they received: for what, how many points, by whom, newest first."""
    rows = newest_rows(
        Award,
        Award.employee_id == employee.id,
        Award.created_at,
        joinedload(Award.criterion),
        joinedload(Award.awarded_by),
        joinedload(Award.team),
    )
    return [
        {
            "at": row.created_at,
            "criterion": row.criterion.name(employee.language),
            "points": row.points,
            "note": row.note,
            "source": row.source,
            "awarded_by": row.awarded_by.display_name if row.awarded_by else None,
            "team": row.team.name if row.team else None,
        }
        for row in rows
    ]


PARTS = {"awards_received": awards_received}
