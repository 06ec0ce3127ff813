"""The market's part of an employee's personal data download: redemptions and the goal."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo.extensions import db
from pojo.market.models import Redemption, SavingsGoal
from pojo.people.models import Employee
from pojo.rows import newest_rows


def redemptions(employee: Employee) -> list[dict]:
    """Each reward they redeemed, with its decision and what payroll was told, newest first."""
    rows = newest_rows(
        Redemption,
        Redemption.employee_id == employee.id,
        Redemption.created_at,
        joinedload(Redemption.reward),
    )
    return [
        {
            "reward": row.reward.name(employee.language),
            "price_paid": row.price_paid,
            "status": row.status,
            "created_at": row.created_at,
            "decided_at": row.decided_at,
            "decision_note": row.decision_note,
            "value_cents": row.value_cents,
            "tax_treatment": row.tax_treatment,
            "income_type_code": row.income_type_code,
        }
        for row in rows
    ]


def goal(employee: Employee) -> dict | None:
    """The reward they save toward, if any."""
    row = db.session.scalar(
        select(SavingsGoal)
        .options(joinedload(SavingsGoal.reward))
        .where(SavingsGoal.employee_id == employee.id)
    )
    if row is None:
        return None
    return {"reward": row.reward.name(employee.language), "since": row.created_at}


PARTS = {"redemptions": redemptions, "goal": goal}
