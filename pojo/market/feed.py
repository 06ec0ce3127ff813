"""The exchange's latest redemptions, without names: what was redeemed and how it moved the price.

The board shows them (`pojo.market.board` keeps them with its cached rows):
a redemption changes the market version, so they are read once per version.
A redemption's price before is what it paid; the price after is the tick
`pojo.market.redemptions.redeem` records at the same moment (a tick with no
scheduled period).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pojo.extensions import db
from pojo.market.models import PriceState, Redemption, Reward
from pojo.rows import in_language

FEED_SIZE = 8


@dataclass(frozen=True)
class FeedItem:
    """One redemption as the feed shows it: no employee, only the reward and the price move."""

    redemption_id: int
    reward_id: int
    name_en: str
    name_fi: str
    at: datetime
    price_before: int
    price_after: int | None  # None: no tick recorded with it (older data)

    def name(self, language: str) -> str:
        return in_language(language, self.name_en, self.name_fi)

    @property
    def move_pct(self) -> float | None:
        """How much this redemption moved the price, in per cent (one decimal)."""
        if self.price_after is None:
            return None
        return round((self.price_after - self.price_before) * 100 / self.price_before, 1)


def _price_after():
    # The price state the redemption recorded (unique per redemption); none before the engine.
    return (
        select(PriceState.price_after)
        .where(PriceState.redemption_id == Redemption.id)
        .correlate(Redemption)
        .scalar_subquery()
    )


def latest_redemptions(limit: int = FEED_SIZE) -> list[FeedItem]:
    """The newest redemptions of rewards still on the market, newest first (one query).

    Cancelled ones are left out: refunded, they were not redeemed after all.
    The newest are picked first and only their ticks looked up: SQLite
    would look up the tick of every redemption before sorting them.
    """
    order = (Redemption.created_at.desc(), Redemption.id.desc())
    newest = (
        select(Redemption.id)
        .join(Reward, Reward.id == Redemption.reward_id)
        .where(Reward.active.is_(True), Redemption.status != "cancelled")
        .order_by(*order)
        .limit(limit)
        .correlate(None)
    )
    rows = db.session.execute(
        select(
            Redemption.id,
            Reward.id,
            Reward.name_en,
            Reward.name_fi,
            Redemption.created_at,
            Redemption.price_paid,
            _price_after(),
        )
        .join(Reward, Reward.id == Redemption.reward_id)
        .where(Redemption.id.in_(newest.scalar_subquery()))
        .order_by(*order)
    )
    return [FeedItem(*row) for row in rows]
