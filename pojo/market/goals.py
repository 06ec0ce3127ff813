"""Savings goals: one pinned reward per employee, its progress and its notices.

`check_goals` runs at the end of whatever changes a balance or a price:
redemptions (`pojo.market.redemptions`), every credit (awards, outcomes, refunds) through the
market's receiver of `pojo.signals.points_credited`, and the price tick (prices fall with time).
"""

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from pojo.awards.models import Award
from pojo.database import utcnow
from pojo.errors import DomainError, NotFound
from pojo.extensions import db
from pojo.ledger.models import Balance
from pojo.ledger.service import balance_of
from pojo.market.demand import price_now, prices_at
from pojo.market.models import Reward, SavingsGoal
from pojo.notifications.service import both_names, link_to, notify
from pojo.people.models import Employee
from pojo.rows import get_row, local_date

# A goal's price falling this much below the price at the last notice is news.
PRICE_DROP_NOTICE = 0.10
EARNING_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class GoalStatus:
    reward: Reward
    price: int
    balance: int
    progress_pct: int
    points_needed: int
    # When the goal is reached at the recent earning rate; None when nothing was earned lately
    # (and on the board, which does not show it).
    eta: date | None = None


def goal_progress(reward, price: int, balance: int) -> GoalStatus:
    """How far `balance` goes toward `reward` at `price`: the one place progress is computed.

    `reward` is the Reward or anything with its id and names (the board's cached facts).
    """
    return GoalStatus(
        reward=reward,
        price=price,
        balance=balance,
        progress_pct=min(100, balance * 100 // price),
        points_needed=max(price - balance, 0),
    )


def _active_reward(reward_id: int) -> Reward:
    reward = get_row(Reward, reward_id)
    if reward is None:
        raise NotFound(_("No such reward."))
    if not reward.active:
        raise DomainError(_("This reward is no longer on the exchange."))
    return reward


def set_goal(actor: Employee, reward_id: int, *, at: datetime | None = None) -> SavingsGoal:
    """Pin a reward as the actor's goal, replacing any earlier one.

    `at` backdates the pinning, and the reference price is the price then
    (demo data and history imports).
    """
    reward = _active_reward(reward_id)
    at = at or utcnow()
    price = price_now(reward, at)
    goal = db.session.get(SavingsGoal, actor.id)
    if goal is None:
        goal = SavingsGoal(employee_id=actor.id)
        db.session.add(goal)
    goal.reward = reward
    goal.created_at = at
    goal.reference_price = price
    # Affordable already when pinned: nothing "became" affordable, so no notice.
    goal.affordable_notified = balance_of(actor.id) >= price
    db.session.flush()
    return goal


def clear_goal(actor: Employee) -> None:
    """Unpin the actor's goal, if any."""
    goal = db.session.get(SavingsGoal, actor.id)
    if goal is not None:
        db.session.delete(goal)
        db.session.flush()


def _earned_per_day(employee_id: int, at: datetime) -> float:
    # Awards, not ledger entries: their (employee_id, created_at) index bounds
    # the read to the window, however long the employee's history.
    earned = db.session.scalar(
        select(func.coalesce(func.sum(Award.points), 0)).where(
            Award.employee_id == employee_id,
            Award.created_at > at - EARNING_WINDOW,
            Award.created_at <= at,
        )
    )
    return earned / EARNING_WINDOW.days


def goal_status(employee: Employee, at: datetime | None = None) -> GoalStatus | None:
    """The employee's goal against its current price, or None without a goal."""
    goal = db.session.get(SavingsGoal, employee.id)
    if goal is None:
        return None
    at = at or utcnow()
    status = goal_progress(goal.reward, price_now(goal.reward, at), balance_of(employee.id))
    if status.points_needed == 0:
        return replace(status, eta=local_date(at))
    rate = _earned_per_day(employee.id, at)
    if rate <= 0:
        return status
    return replace(
        status, eta=local_date(at) + timedelta(days=math.ceil(status.points_needed / rate))
    )


def check_goals(
    *,
    employee_ids: list[int] | None = None,
    reward_ids: list[int] | None = None,
    at: datetime | None = None,
) -> int:
    """Notify goals that became affordable or fell in price; returns notices sent.

    An affordable goal is told once, and again only after it has been out
    of reach in between. A drop of 10 % or more from the price at the last
    notice (or at pinning) is told, and that price becomes the new reference.
    """
    at = at or utcnow()
    query = (
        select(SavingsGoal, func.coalesce(Balance.points, 0))
        .join(Reward, Reward.id == SavingsGoal.reward_id)
        .outerjoin(Balance, Balance.employee_id == SavingsGoal.employee_id)
        .where(Reward.active.is_(True))
    )
    if employee_ids is not None:
        query = query.where(SavingsGoal.employee_id.in_(employee_ids))
    if reward_ids is not None:
        query = query.where(SavingsGoal.reward_id.in_(reward_ids))
    found = db.session.execute(query).all()
    if not found:
        return 0
    rewards = list({goal.reward_id: goal.reward for goal, _balance in found}.values())
    prices = prices_at(rewards, [at])
    sent = 0
    for goal, balance in found:
        sent += _check_goal(goal, balance, prices[goal.reward_id][0], at)
    db.session.flush()
    return sent


def _check_goal(goal: SavingsGoal, balance: int, price: int, at: datetime) -> int:
    reward = goal.reward
    names = both_names("reward", reward)
    link = link_to("market.reward", reward_id=reward.id)
    sent = 0
    if balance >= price and not goal.affordable_notified:
        notify(goal.employee_id, "goal_affordable", link, at=at, price=price, **names)
        sent += 1
    goal.affordable_notified = balance >= price
    if price <= goal.reference_price * (1 - PRICE_DROP_NOTICE):
        notify(
            goal.employee_id,
            "goal_price_drop",
            link,
            at=at,
            price=price,
            was=goal.reference_price,
            **names,
        )
        goal.reference_price = price
        sent += 1
    return sent
