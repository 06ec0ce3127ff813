"""The exchange's operations: the catalogue, the board, redemptions and price ticks.

Redemptions lock the reward row first (FOR UPDATE), then the balance
inside `post_entry`, the order of docs/architecture.md. Goals live in
`pojo.market.goals` and the catalogue in `pojo.market.catalogue`; both are
re-exported here, so callers of the market use this one module.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from pojo.database import utcnow
from pojo.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from pojo.extensions import db
from pojo.formatting import format_points
from pojo.ledger.service import post_entry
from pojo.market.catalogue import CATALOGUE_ROLES, get_reward, lock_reward
from pojo.market.catalogue import create_reward as create_reward
from pojo.market.catalogue import list_rewards as list_rewards
from pojo.market.catalogue import update_reward as update_reward
from pojo.market.goals import GoalStatus as GoalStatus
from pojo.market.goals import check_goals
from pojo.market.goals import clear_goal as clear_goal
from pojo.market.goals import goal_status as goal_status
from pojo.market.goals import set_goal as set_goal
from pojo.market.models import (
    PriceTick,
    Redemption,
    Reward,
    get_row,
)
from pojo.market.prices import change_pct, demand_now, prices_at, settings_of
from pojo.market.pricing import WINDOW, price_for_demand
from pojo.notifications.service import link_to, notify
from pojo.pagination import Pagination, paginate
from pojo.people.models import Employee
from pojo.rows import local_date, site_zone

HISTORY_DAYS = 90
SPARKLINE_DAYS = 7


class PriceMoved(Conflict):
    code = "price_moved"


class OutOfStock(Conflict):
    code = "out_of_stock"


class LimitReached(DomainError):
    code = "limit_reached"


class RewardUnavailable(DomainError):
    code = "reward_unavailable"


@dataclass(frozen=True)
class BoardRow:
    reward: Reward
    price: int
    change_24h_pct: float | None
    change_7d_pct: float | None
    stock_left: int | None
    # Daily prices over the last 7 days, oldest first, ending with the price now.
    sparkline: list[int]


@dataclass(frozen=True)
class RewardDetail:
    reward: Reward
    price: int
    change_24h_pct: float | None
    change_7d_pct: float | None
    stock_left: int | None
    history: list[tuple[datetime, int]]
    demand_30d: int
    # (local date, redemptions) for each of the last 30 days, oldest first.
    recent_redemptions_by_day: list[tuple[date, int]]


# -- the board ---------------------------------------------------------------


def _moments(at: datetime, days: int) -> list[datetime]:
    """Now and each whole day back, newest first."""
    return [at - timedelta(days=back) for back in range(days + 1)]


def _change(prices: list[int], days_back: int, reward: Reward, at: datetime) -> float | None:
    # No change to show for a reward that did not exist back then.
    if reward.created_at > at - timedelta(days=days_back):
        return None
    return change_pct(prices[0], prices[days_back])


def board(at: datetime | None = None) -> list[BoardRow]:
    """Every active reward with its price, changes, sparkline and stock (two queries)."""
    at = at or utcnow()
    rewards = list(
        db.session.scalars(
            select(Reward).where(Reward.active.is_(True)).order_by(Reward.category, Reward.name_en)
        )
    )
    prices = prices_at(rewards, _moments(at, SPARKLINE_DAYS))
    return [
        BoardRow(
            reward=reward,
            price=prices[reward.id][0],
            change_24h_pct=_change(prices[reward.id], 1, reward, at),
            change_7d_pct=_change(prices[reward.id], SPARKLINE_DAYS, reward, at),
            stock_left=reward.stock,
            sparkline=list(reversed(prices[reward.id])),
        )
        for reward in rewards
    ]


def _local_date(moment: datetime) -> date:
    return local_date(moment)


def reward_detail(actor: Employee, reward_id: int, at: datetime | None = None) -> RewardDetail:
    """One reward's page: its price, changes, 90 days of ticks and 30 days of demand.

    A withdrawn reward is not found except by HR and admin, who manage the
    catalogue; the page and the API both ask here, so they cannot disagree.
    """
    at = at or utcnow()
    reward = get_reward(reward_id)
    if not reward.active and actor.role not in CATALOGUE_ROLES:
        raise NotFound(_("No such reward."))
    prices = prices_at([reward], _moments(at, SPARKLINE_DAYS))[reward.id]
    history = db.session.execute(
        select(PriceTick.at, PriceTick.price)
        .where(
            PriceTick.reward_id == reward.id,
            PriceTick.at > at - timedelta(days=HISTORY_DAYS),
            PriceTick.at <= at,
        )
        .order_by(PriceTick.at, PriceTick.id)
    ).all()
    times = db.session.scalars(
        select(Redemption.created_at).where(
            Redemption.reward_id == reward.id,
            Redemption.created_at > at - WINDOW,
            Redemption.created_at <= at,
        )
    ).all()
    today = _local_date(at)
    by_day = {today - timedelta(days=back): 0 for back in range(WINDOW.days - 1, -1, -1)}
    for moment in times:
        day = _local_date(moment)
        if day in by_day:
            by_day[day] += 1
    return RewardDetail(
        reward=reward,
        price=prices[0],
        change_24h_pct=_change(prices, 1, reward, at),
        change_7d_pct=_change(prices, SPARKLINE_DAYS, reward, at),
        stock_left=reward.stock,
        history=[(tick_at, price) for tick_at, price in history],
        demand_30d=len(times),
        recent_redemptions_by_day=list(by_day.items()),
    )


# -- redemptions -------------------------------------------------------------


def _period_start(period: str, at: datetime) -> datetime:
    """Start of the calendar month, quarter or year containing `at`, in the site's zone."""
    zone = site_zone()
    local = at.astimezone(zone)
    month = {"month": local.month, "quarter": 3 * ((local.month - 1) // 3) + 1, "year": 1}[period]
    start = local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(UTC)


def _check_limit(reward: Reward, employee: Employee, at: datetime) -> None:
    if reward.per_person_limit is None:
        return
    taken = db.session.scalar(
        select(func.count())
        .select_from(Redemption)
        .where(
            Redemption.employee_id == employee.id,
            Redemption.reward_id == reward.id,
            Redemption.status != "cancelled",
            Redemption.created_at >= _period_start(reward.limit_period, at),
        )
    )
    if taken >= reward.per_person_limit:
        periods = {"month": _("month"), "quarter": _("quarter"), "year": _("year")}
        raise LimitReached(
            _(
                "You have already redeemed this %(count)s times this %(period)s, the most allowed.",
                count=taken,
                period=periods[reward.limit_period],
            )
        )


def redeem(
    actor: Employee,
    reward_id: int,
    max_price: int,
    *,
    request_id: str | None = None,
    at: datetime | None = None,
) -> Redemption:
    """Redeem a reward like a limit order: charged the current price if it is at most `max_price`.

    Refused, with nothing charged, when the reward is sold out
    (OutOfStock), the price moved above `max_price` (PriceMoved, with the
    price), the per-person limit is used, or the balance is short
    (InsufficientPoints). A repeated `request_id` returns the first
    redemption. `at` backdates it (demo history).
    """
    if isinstance(max_price, bool) or not isinstance(max_price, int) or max_price < 1:
        raise InvalidInput(
            _("The price you accept is a whole number of points."), field="max_price"
        )
    reward = lock_reward(reward_id)
    # Looked up under the reward's lock, so a concurrent double submit sees the first one.
    if request_id:
        earlier = db.session.scalar(select(Redemption).where(Redemption.request_id == request_id))
        if earlier is not None:
            if earlier.employee_id != actor.id:
                raise Conflict(_("This form was already used."))
            return earlier
    if not reward.active:
        raise RewardUnavailable(_("This reward is no longer on the exchange."))
    if not actor.active:
        raise Forbidden(_("Your account is not active."))
    if reward.stock is not None and reward.stock <= 0:
        raise OutOfStock(_("Sold out: this reward has no stock left."))
    at = at or utcnow()
    demand = demand_now(reward, at)
    settings = settings_of(reward)
    price = price_for_demand(settings, demand)
    if price > max_price:
        raise PriceMoved(
            _("The price moved to %(price)s points.", price=format_points(price)), price=price
        )
    _check_limit(reward, actor, at)
    entry = post_entry(actor.id, -price, "redemption", actor=actor, at=at)
    redemption = Redemption(
        employee=actor,
        reward=reward,
        price_paid=price,
        max_price=max_price,
        status="pending",
        created_at=at,
        entry=entry,
        request_id=request_id or None,
    )
    if reward.stock is not None:
        reward.stock -= 1
    db.session.add(redemption)
    db.session.flush()
    entry.reference = f"redemption:{redemption.id}"
    db.session.add(
        PriceTick(reward_id=reward.id, at=at, price=price_for_demand(settings, demand + 1))
    )
    db.session.flush()
    # Dearer now for everyone saving toward it; the redeemer's own balance fell.
    check_goals(reward_ids=[reward.id], at=at)
    check_goals(employee_ids=[actor.id], at=at)
    return redemption


def _decide(actor: Employee, redemption_id: int, at: datetime | None) -> Redemption:
    """Lock a pending redemption (reward row first, then the redemption) for HR's decision."""
    if actor.role not in CATALOGUE_ROLES:
        raise Forbidden(_("Only HR and admin fulfil or cancel redemptions."))
    found = get_row(Redemption, redemption_id)
    if found is None:
        raise NotFound(_("No such redemption."))
    lock_reward(found.reward_id)
    redemption = db.session.scalars(
        select(Redemption)
        .where(Redemption.id == redemption_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if redemption.status != "pending":
        raise Conflict(_("This redemption has already been decided."))
    redemption.decided_at = at or utcnow()
    redemption.decided_by = actor
    return redemption


def _names(reward: Reward) -> dict:
    return {"reward_en": reward.name_en, "reward_fi": reward.name_fi}


def fulfil(actor: Employee, redemption_id: int, *, at: datetime | None = None) -> Redemption:
    """Mark a pending redemption fulfilled (HR and admin); the employee is notified.

    `at` backdates the decision (demo data and history imports).
    """
    redemption = _decide(actor, redemption_id, at)
    redemption.status = "fulfilled"
    notify(
        redemption.employee_id,
        "redemption_fulfilled",
        link_to("ledger.wallet"),
        at=at,
        **_names(redemption.reward),
    )
    db.session.flush()
    return redemption


def cancel(
    actor: Employee, redemption_id: int, reason: str, *, at: datetime | None = None
) -> Redemption:
    """Cancel a pending redemption (HR and admin): refund by a compensating entry, restock.

    `at` backdates the decision and the refund (demo data and history imports).
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise InvalidInput(_("Give a reason of at most 500 characters."), field="reason")
    redemption = _decide(actor, redemption_id, at)
    # A credit: the market's points_credited receiver checks the goal (see market.feature).
    refund = post_entry(
        redemption.employee_id,
        redemption.price_paid,
        "refund",
        actor=actor,
        note=reason,
        reference=f"redemption:{redemption.id}",
        at=at,
    )
    redemption.status = "cancelled"
    redemption.decision_note = reason
    redemption.refund_entry = refund
    reward = redemption.reward
    if reward.stock is not None:
        reward.stock += 1
    notify(
        redemption.employee_id,
        "redemption_cancelled",
        link_to("ledger.wallet"),
        at=at,
        points=redemption.price_paid,
        reason=reason,
        **_names(reward),
    )
    db.session.flush()
    return redemption


def _redemptions_of(employee: Employee, status: str | None = None):
    query = (
        select(Redemption)
        .options(joinedload(Redemption.reward))
        .where(Redemption.employee_id == employee.id)
    )
    if status is not None:
        query = query.where(Redemption.status == status)
    return query.order_by(Redemption.id.desc())


def redemptions_for(employee: Employee, status: str | None = None) -> list[Redemption]:
    """An employee's latest 100 redemptions, newest first, optionally only those with `status`."""
    return list(db.session.scalars(_redemptions_of(employee, status).limit(100)))


def redemption_history(employee: Employee, page: int) -> Pagination:
    """One page of an employee's redemptions, newest first ("My redemptions")."""
    return paginate(_redemptions_of(employee), page)


def pending_redemptions(page: int) -> Pagination:
    """One page of the queue HR works through: pending redemptions, oldest first."""
    return paginate(
        select(Redemption)
        .options(
            joinedload(Redemption.reward),
            joinedload(Redemption.employee).joinedload(Employee.team),
        )
        .where(Redemption.status == "pending")
        .order_by(Redemption.id),
        page,
    )


# -- price history -----------------------------------------------------------


def tick_period_start(now: datetime) -> datetime:
    """Start of the tick interval (POJO_PRICE_TICK_MINUTES) containing `now`."""
    minutes = current_app.config["PRICE_TICK_MINUTES"]
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    interval = timedelta(minutes=minutes)
    return epoch + ((now - epoch) // interval) * interval


def record_ticks(now: datetime | None = None) -> int:
    """Record each active reward's price once for the interval containing `now`.

    The unique (reward_id, period_start) constraint makes a second run for
    the same interval insert nothing; conflicting rows are skipped, not
    errors. Goals are checked too, since prices fall with time.
    """
    now = now or utcnow()
    period = tick_period_start(now)
    rewards = list(db.session.scalars(select(Reward).where(Reward.active.is_(True))))
    if not rewards:
        return 0
    prices = prices_at(rewards, [now])
    rows = [
        {"reward_id": reward.id, "at": now, "price": prices[reward.id][0], "period_start": period}
        for reward in rewards
    ]
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(PriceTick)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["reward_id", "period_start"])
    )
    recorded = len(db.session.execute(statement.returning(PriceTick.id)).all())
    check_goals(at=now)
    return recorded
