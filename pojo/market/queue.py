"""HR's redemption list: the queue to hand over, and past redemptions, searched and filtered."""

from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo.extensions import db
from pojo.market.models import Redemption, Reward
from pojo.market.policy import FULFIL_REDEMPTIONS
from pojo.pagination import Pagination, paginate
from pojo.people.models import Employee
from pojo.policy import require
from pojo.search import matching, within_days

STATUSES = ("pending", "fulfilled", "cancelled")


class QueueFilter(NamedTuple):
    """The redemption list's search and filters: by default the pending queue, oldest first."""

    status: str | None = "pending"
    text: str | None = None
    reward_id: int | None = None
    team_id: int | None = None
    since: date | None = None
    until: date | None = None


def queue_rewards() -> list[Reward]:
    """The rewards HR hands over (the reward filter's choices), live ones first, by name."""
    query = select(Reward).where(Reward.kind == "standard")
    return list(db.session.scalars(query.order_by(Reward.active.desc(), Reward.name_en)))


def redemptions_page(actor: Employee, page: int, filters: QueueFilter | None = None) -> Pagination:
    """One page of the redemptions HR hands over, as filtered (shift swaps settle themselves).

    The pending queue is oldest first, so the longest wait is on top; any
    other status newest first. A search matches each word in the employee's
    name or username, the reward's name in either language or the decision's
    note; the dates are the days the redemptions were made.
    """
    require(actor, FULFIL_REDEMPTIONS)
    filters = filters or QueueFilter()
    query = (
        select(Redemption)
        .options(
            joinedload(Redemption.reward),
            joinedload(Redemption.employee).joinedload(Employee.team),
        )
        .join(Redemption.reward)
        .join(Employee, Employee.id == Redemption.employee_id)
        .where(
            Reward.kind == "standard",
            matching(
                filters.text,
                Employee.display_name,
                Employee.username,
                Reward.name_en,
                Reward.name_fi,
                Redemption.decision_note,
            ),
            *within_days(Redemption.created_at, filters.since, filters.until),
        )
    )
    if filters.status:
        query = query.where(Redemption.status == filters.status)
    if filters.reward_id is not None:
        query = query.where(Redemption.reward_id == filters.reward_id)
    if filters.team_id is not None:
        query = query.where(Employee.team_id == filters.team_id)
    oldest_first = filters.status == "pending"
    return paginate(query.order_by(Redemption.id if oldest_first else Redemption.id.desc()), page)
