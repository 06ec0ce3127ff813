"""The outcomes' part of an employee's personal data download: the outcomes about them."""

from pojo.outcomes.models import Outcome
from pojo.people.models import Employee
from pojo.rows import newest_rows


def outcomes(employee: Employee) -> list[dict]:
    """Each measured outcome recorded about them, newest first."""
    rows = newest_rows(Outcome, Outcome.employee_id == employee.id, Outcome.occurred_at)
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
