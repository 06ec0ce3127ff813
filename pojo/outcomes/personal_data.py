"""The outcomes' part of an employee's personal data download: the outcomes about them."""

from sqlalchemy import select

from pojo import bounds
from pojo.extensions import db
from pojo.outcomes.models import Outcome
from pojo.people.models import Employee


def outcomes(employee: Employee) -> list[dict]:
    """Each measured outcome recorded about them, newest first."""
    rows = db.session.scalars(
        select(Outcome)
        .where(Outcome.employee_id == employee.id)
        .order_by(Outcome.occurred_at.desc(), Outcome.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
    )
    return [
        {
            "kind": row.kind,
            "score": row.score,
            "occurred_at": row.occurred_at,
            "recorded_at": row.recorded_at,
            "source": row.source,
            "external_id": row.external_id,
            "awarded": row.award_id is not None,
        }
        for row in rows
    ]


PARTS = {"outcomes": outcomes}
