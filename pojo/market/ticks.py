"""The recorded price history: every active reward's price once per tick interval.

Prices are computed from redemptions (`pojo.market.demand`), so the ticks
only record them for the reward page's chart; a redemption records its own
tick too (`pojo.market.redemptions.redeem`).
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from pojo.database import upsert, utcnow
from pojo.extensions import db
from pojo.market.demand import prices_at
from pojo.market.goals import check_goals
from pojo.market.models import PriceTick, Reward


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
    statement = (
        upsert(db.engine, PriceTick)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["reward_id", "period_start"])
    )
    recorded = len(db.session.execute(statement.returning(PriceTick.id)).all())
    check_goals(at=now)
    return recorded
