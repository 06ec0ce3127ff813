"""The demo's one step for a measured service outcome (an NPS answer, an FCR, a promise kept).

TEMPORARY until pojo.outcomes.service lands: matches the default rules by
hand. Replace the body with the outcome service call.
"""

from datetime import datetime

from sqlalchemy import select

from pojo.awards.models import Criterion
from pojo.awards.service import award_for_outcome
from pojo.extensions import db
from pojo.outcomes.models import Outcome
from pojo.people.models import Employee


def _criterion_code(kind: str, score: int | None) -> str | None:
    if kind == "nps":
        return {10: "nps_10", 9: "nps_9"}.get(score)
    return kind


def record_outcome(
    actor: Employee,
    employee: Employee,
    kind: str,
    score: int | None,
    at: datetime,
    external_id: str,
) -> int:
    """Record one outcome at `at`; returns the points it awarded (0 when no rule matched)."""
    outcome = Outcome(
        external_id=external_id,
        employee_id=employee.id,
        kind=kind,
        score=score,
        occurred_at=at,
        recorded_at=at,
        source="api",
        recorded_by_id=actor.id,
    )
    db.session.add(outcome)
    code = _criterion_code(kind, score)
    if code is None:
        db.session.flush()
        return 0
    criterion = db.session.scalar(select(Criterion).where(Criterion.code == code))
    made = award_for_outcome(employee, criterion, f"{kind} {score or ''}".strip(), at=at)
    outcome.award = made
    db.session.flush()
    return made.points
