"""Prices now and in the past, read from the database in grouped queries.

Prices are computed, never stored: demand is a count of redemptions in a
30-day window, read with one grouped query over the (reward_id,
created_at) index, so the cost follows recent demand, not history. The
formula itself is `pojo.market.pricing` (pure, swappable); this module only
feeds it.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select

from pojo.extensions import db
from pojo.market.models import Redemption, Reward
from pojo.market.pricing import WINDOW, PriceSettings, price_for_demand

# The 7-day change and the sparkline (board and reward page) look this many days back.
WEEK_DAYS = 7


def settings_of(reward: Reward) -> PriceSettings:
    return PriceSettings(
        base=reward.base_price,
        floor=reward.floor_price,
        ceiling=reward.ceiling_price,
        expected_per_30d=reward.expected_per_30d,
    )


def demand_counts(
    reward_ids: Sequence[int] | None, moments: Sequence[datetime]
) -> dict[int, list[int]]:
    """Redemptions in the window ending at each moment, per reward (missing: none at all).

    One query whatever the number of rewards and moments; `reward_ids`
    None means every reward.
    """
    columns = [
        func.sum(
            case(
                (and_(Redemption.created_at > moment - WINDOW, Redemption.created_at <= moment), 1),
                else_=0,
            )
        )
        for moment in moments
    ]
    query = (
        select(Redemption.reward_id, *columns)
        .where(
            Redemption.created_at > min(moments) - WINDOW,
            Redemption.created_at <= max(moments),
        )
        .group_by(Redemption.reward_id)
    )
    if reward_ids is not None:
        query = query.where(Redemption.reward_id.in_(reward_ids))
    return {row[0]: [int(count) for count in row[1:]] for row in db.session.execute(query)}


def prices_at(rewards: Sequence[Reward], moments: Sequence[datetime]) -> dict[int, list[int]]:
    """Each reward's price at each of the moments."""
    ids = [reward.id for reward in rewards]
    counts = demand_counts(ids if len(ids) <= 500 else None, moments)
    none = [0] * len(moments)
    return {
        reward.id: [
            price_for_demand(settings_of(reward), count) for count in counts.get(reward.id, none)
        ]
        for reward in rewards
    }


def daily_prices(rewards: Sequence[Reward], at: datetime) -> dict[int, list[int]]:
    """Each reward's price now and on each of the last `WEEK_DAYS` days, newest first."""
    return prices_at(rewards, [at - timedelta(days=back) for back in range(WEEK_DAYS + 1)])


def change_over(prices: list[int], days_back: int, created_at: datetime, at: datetime):
    """The percentage change over `days_back` days of `daily_prices`' list, one decimal.

    None for a reward that did not exist back then: it has no change to show.
    """
    if created_at > at - timedelta(days=days_back):
        return None
    return change_pct(prices[0], prices[days_back])


def demand_now(reward: Reward, at: datetime) -> int:
    """Redemptions of one reward in the window ending at `at`."""
    return db.session.scalar(
        select(func.count())
        .select_from(Redemption)
        .where(
            Redemption.reward_id == reward.id,
            Redemption.created_at > at - WINDOW,
            Redemption.created_at <= at,
        )
    )


def price_now(reward: Reward, at: datetime) -> int:
    """One reward's price at `at`."""
    return price_for_demand(settings_of(reward), demand_now(reward, at))


def change_pct(now: int, then: int) -> float:
    """Percentage change from `then` to `now`, one decimal."""
    return round((now - then) * 100 / then, 1)
