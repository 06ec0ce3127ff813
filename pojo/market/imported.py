"""Imported redemptions (pojo.history): past purchases kept as demand history.

A history import brings redemptions from an older system. They become
`Redemption` rows marked `imported` (fulfilled when they happened, at the
price paid), each with its ledger entry, but with no price state each: the
price engine's record is a chain in time order, and a past event slipped into
it would contradict every state recorded after it. Instead each affected
reward gets one state with the cause "imported" at the moment of the import:
its demand is the larger of the reward's demand now and the demand the
imported redemptions leave today, replayed through the engine from an
opening at the first of them. The replay (`pojo.market.replay`) takes an
"imported" state as a new anchor, as it takes the first state of a reward.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from pojo.bounds import PRICE
from pojo.extensions import db
from pojo.ledger.copying import Written, copy_rows
from pojo.market import demand, pricing
from pojo.market.catalogue import create_reward
from pojo.market.models import PriceState, Redemption, Reward

REDEMPTION_COLUMNS = (
    "employee_id",
    "reward_id",
    "price_paid",
    "max_price",
    "status",
    "created_at",
    "decided_at",
    "entry_id",
    "imported",
)
REDEMPTION_TYPES = (
    "int4",
    "int4",
    "int4",
    "int4",
    "varchar",
    "timestamptz",
    "timestamptz",
    "int4",
    "bool",
)
# An archived reward made for a name no reward has: at least this base price, so its
# floor (60 %) allows a whole-point step.
SMALLEST_BASE = 25


def archived_reward(name: str, price: int, at: datetime) -> Reward:
    """A new inactive reward for a name the catalogue lacks, so its history has a reward."""
    base = min(max(price, SMALLEST_BASE), PRICE.maximum // 2)
    return create_reward(None, name_en=name, name_fi=name, base_price=base, active=False, at=at)


def add_redemptions(
    rows: Sequence[tuple[int, int, int, datetime, int]], written: Written | None = None
) -> None:
    """(employee id, reward id, points, at, entry id) each: fulfilled, imported redemptions;
    `written(rows so far)` after each chunk."""
    copy_rows(
        "redemptions",
        REDEMPTION_COLUMNS,
        REDEMPTION_TYPES,
        (
            (employee_id, reward_id, points, points, "fulfilled", at, at, entry_id, True)
            for employee_id, reward_id, points, at, entry_id in rows
        ),
        Redemption,
        written,
    )


def imported_demand(
    settings: pricing.PriceSettings, moments: Sequence[datetime], now: datetime
) -> float:
    """The demand today that these past redemptions (in time order) leave, by the engine's rule.

    Replayed from an opening one resting horizon before `now` (at most the
    first redemption): whatever demand stood then has faded to rest by now on
    its own, so only the redemptions since then are replayed (a million rows
    of history need not be, and the oldest could not move today's price).
    """
    start = now - timedelta(days=pricing.resting_horizon_days(settings))
    recent = [moment for moment in moments if moment >= start]
    if not recent:
        return 0.0
    state = pricing.opening(settings, max(start, moments[0]))
    for moment in recent:
        state = pricing.redeemed(settings, state, moment)
    return pricing.demand_at(settings, state, now)


def fold_in(moments_by_reward: dict[int, list[datetime]], now: datetime) -> None:
    """Record each reward's demand with its imported redemptions, as one "imported" state."""
    rewards = db.session.scalars(
        select(Reward)
        .where(Reward.id.in_(sorted(moments_by_reward)))
        .order_by(Reward.id)
        .with_for_update()
    )
    for reward in rewards:
        settings = demand.settings_of(reward)
        live = demand.state_of(reward)
        at = max(now, live.at)
        live_now = pricing.demand_at(settings, live, at)
        past = imported_demand(settings, sorted(moments_by_reward[reward.id]), at)
        state = pricing.DemandState(max(live_now, past), at, live.cap)
        before = pricing.price(settings, live, at)
        reward.demand, reward.demand_at, reward.price_cap = state.demand, state.at, state.cap
        db.session.add(
            PriceState(
                reward_id=reward.id,
                at=state.at,
                cause="imported",
                **{
                    column: getattr(settings, name)
                    for name, column in demand.PRICE_SETTINGS.items()
                },
                demand=state.demand,
                price_cap=state.cap,
                price_before=before,
                price_after=pricing.price(settings, state, state.at),
            )
        )
    db.session.flush()
