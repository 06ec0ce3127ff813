"""One reward's page (and its API twin): the price, its changes, 90 days of prices, 30 of demand."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market.catalogue import get_reward
from pojo.market.demand import (
    WEEK_DAYS,
    change_over,
    daily_prices,
    price_history,
    prices_at,
    settings_of,
)
from pojo.market.models import Redemption, Reward
from pojo.market.policy import VIEW_REWARD
from pojo.market.pricing import resting_price
from pojo.people.models import Employee
from pojo.policy import require
from pojo.rows import local_date, site_zone

HISTORY_DAYS = 90
# The chart has at most this many points, whatever the number of redemptions.
HISTORY_POINTS = 200
# Redemptions per day are shown for this many days.
DEMAND_DAYS = 30
WINDOW = timedelta(days=DEMAND_DAYS)


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
    # (local date, the price at the day's end, or now for today), newest first.
    closes: list[tuple[date, int]]
    # Where the price eases down to when nobody redeems it.
    resting_price: int


def reward_detail(actor: Employee, reward_id: int, at: datetime | None = None) -> RewardDetail:
    """One reward's page: its price, changes, 90 days of prices and 30 days of demand.

    A withdrawn reward is not found except by HR and admin, who manage the
    catalogue; the page and the API both ask here, so they cannot disagree.
    """
    at = at or utcnow()
    reward = get_reward(reward_id)
    require(actor, VIEW_REWARD, reward)
    prices = daily_prices([reward], at)[reward.id]
    history = price_history(reward, at - timedelta(days=HISTORY_DAYS), at, HISTORY_POINTS)
    times = db.session.scalars(
        select(Redemption.created_at).where(
            Redemption.reward_id == reward.id,
            Redemption.created_at > at - WINDOW,
            Redemption.created_at <= at,
        )
    ).all()
    today = local_date(at)
    closes = _closes(reward, today, at)
    by_day = {today - timedelta(days=back): 0 for back in range(WINDOW.days - 1, -1, -1)}
    for moment in times:
        day = local_date(moment)
        if day in by_day:
            by_day[day] += 1
    return RewardDetail(
        reward=reward,
        price=prices[0],
        change_24h_pct=change_over(prices, 1, reward.created_at, at),
        change_7d_pct=change_over(prices, WEEK_DAYS, reward.created_at, at),
        stock_left=reward.stock,
        history=history,
        demand_30d=len(times),
        recent_redemptions_by_day=list(by_day.items()),
        closes=closes,
        resting_price=resting_price(settings_of(reward)),
    )


def _closes(reward: Reward, today: date, at: datetime) -> list[tuple[date, int]]:
    """The price at the end of each local day of the last 30 (today: now), in one query."""
    zone = site_zone()
    days = [today - timedelta(days=back) for back in range(DEMAND_DAYS)]
    ends = [
        min(at, datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC))
        for day in days
    ]
    kept = [(day, end) for day, end in zip(days, ends, strict=True) if end > reward.created_at]
    if not kept:
        return []
    prices = prices_at([reward], [end for _day, end in kept])[reward.id]
    return [(day, price) for (day, _end), price in zip(kept, prices, strict=True)]
