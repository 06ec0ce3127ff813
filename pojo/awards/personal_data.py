"""The awards' part of an employee's personal data download: the awards they received."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo import bounds
from pojo.awards.models import Award
from pojo.extensions import db
from pojo.people.models import Employee


def awards_received(employee: Employee) -> list[dict]:
    """Each award they received: for what, how many points, by whom, newest first."""
    rows = db.session.scalars(
        select(Award)
        .options(joinedload(Award.criterion), joinedload(Award.awarded_by), joinedload(Award.team))
        .where(Award.employee_id == employee.id)
        .order_by(Award.created_at.desc(), Award.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
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
