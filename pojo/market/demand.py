"""Prices now and in the past, from the price engine's recorded states.

The formula is `pojo.market.pricing` (pure); this module feeds it and keeps
its record. Every event that moves a reward's price (its opening, a
redemption, a change of its price settings) appends a `PriceState` with the
settings and demand from then on, and copies that state onto the reward
row, all under the reward's lock. So the price now costs no query beyond
the reward row, and the price at any past moment is one indexed lookup of
the state in force then, whatever the volume of history.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, union_all

from pojo.extensions import db
from pojo.market import pricing
from pojo.market.models import PRICE_SETTINGS, PriceState, Reward
from pojo.market.pricing import DemandState, PriceSettings

# The 7-day change and the sparkline (board and reward page) look this many days back.
WEEK_DAYS = 7


def settings_of(row: Reward | PriceState) -> PriceSettings:
    """The price settings of a reward, or those in force from a recorded state."""
    return PriceSettings(**{name: getattr(row, column) for name, column in PRICE_SETTINGS.items()})


def state_of(reward: Reward) -> DemandState:
    return DemandState(reward.demand, reward.demand_at, reward.price_cap)


def _recorded_state(row: PriceState) -> DemandState:
    return DemandState(row.demand, row.at, row.price_cap)


def _record(
    reward: Reward, settings: PriceSettings, state: DemandState, cause: str, before: int | None
) -> PriceState:
    """Append the state after an event and copy it onto the (locked) reward row."""
    reward.demand, reward.demand_at, reward.price_cap = state.demand, state.at, state.cap
    row = PriceState(
        reward_id=reward.id,
        at=state.at,
        cause=cause,
        **{column: getattr(settings, name) for name, column in PRICE_SETTINGS.items()},
        demand=state.demand,
        price_cap=state.cap,
        price_before=before,
        price_after=pricing.price(settings, state, state.at),
    )
    db.session.add(row)
    return row


def record_opening(reward: Reward, at: datetime) -> PriceState:
    """A new reward (flushed, so it has an id) opens at its base price at `at`."""
    settings = settings_of(reward)
    return _record(reward, settings, pricing.opening(settings, at), "opened", None)


def record_redemption(reward: Reward, at: datetime) -> PriceState:
    """A redemption of the locked `reward` at `at`: the price it paid and the price after."""
    settings = settings_of(reward)
    state = state_of(reward)
    before = pricing.price(settings, state, max(at, state.at))
    return _record(reward, settings, pricing.redeemed(settings, state, at), "redeemed", before)


def record_settings(reward: Reward, old: PriceSettings, at: datetime) -> PriceState | None:
    """The locked `reward`'s price settings changed from `old`: apply the new ones from `at`.

    None (nothing recorded) when the price settings are the same.
    """
    new = settings_of(reward)
    if new == old:
        return None
    state = state_of(reward)
    before = pricing.price(old, state, max(at, state.at))
    return _record(reward, new, pricing.changed(old, new, state, at), "settings", before)


def preview_settings(reward: Reward, new: PriceSettings, at: datetime) -> "Preview":
    """What the price would be now, and where it rests, if `reward` took settings `new` at `at`."""
    old = settings_of(reward)
    state = state_of(reward)
    moved = pricing.changed(old, new, state, at)
    return Preview(
        price_now=pricing.price(old, state, max(at, state.at)),
        price_new=pricing.price(new, moved, moved.at),
        resting=pricing.resting_price(new),
        # From the demand carried over, not the worst case from the ceiling: what HR will see.
        horizon_days=pricing.days_to_rest(new, moved.demand),
    )


def preview_opening(settings: PriceSettings, at: datetime) -> "Preview":
    """What a new reward with `settings` would open at (no price now), and where it rests."""
    return Preview(
        price_now=None,
        price_new=pricing.price(settings, pricing.opening(settings, at), at),
        resting=pricing.resting_price(settings),
        horizon_days=pricing.days_to_rest(settings, settings.expected_demand),
    )


@dataclass(frozen=True)
class Preview:
    """A price preview: the price now (None for a new reward), with the new settings, at rest.

    `horizon_days` is the most days the price then takes to ease down to
    `resting` if nobody redeems it.
    """

    price_now: int | None
    price_new: int
    resting: int
    horizon_days: float

    @property
    def resting_within_days(self) -> int:
        """`horizon_days` in whole days, rounded up."""
        return math.ceil(self.horizon_days - 1e-9)


def price_now(reward: Reward, at: datetime) -> int:
    """One reward's price at `at`: from its row, or its recorded state if `at` is earlier."""
    if at >= reward.demand_at:
        return pricing.price(settings_of(reward), state_of(reward), at)
    return prices_at([reward], [at])[reward.id][0]


def _states_in_force(reward_ids: Sequence[int], moments: Sequence[datetime]) -> dict:
    """Each reward's recorded states in force at the moments, and its first: one query.

    {reward_id: [PriceState, ...] in time order}. Each state is found by one
    indexed lookup, whatever the number of rewards, moments or redemptions.
    """
    first = (
        select(PriceState.id)
        .where(PriceState.reward_id == Reward.id)
        .order_by(PriceState.at, PriceState.id)
        .limit(1)
        .scalar_subquery()
    )
    lookups = [first] + [
        select(PriceState.id)
        .where(PriceState.reward_id == Reward.id, PriceState.at <= moment)
        .order_by(PriceState.at.desc(), PriceState.id.desc())
        .limit(1)
        .scalar_subquery()
        for moment in moments
    ]
    ids = union_all(*(select(lookup).where(Reward.id.in_(reward_ids)) for lookup in lookups))
    query = (
        select(PriceState)
        .where(PriceState.id.in_(ids.scalar_subquery()))
        .order_by(PriceState.reward_id, PriceState.at, PriceState.id)
    )
    found: dict[int, list[PriceState]] = {}
    for row in db.session.scalars(query):
        found.setdefault(row.reward_id, []).append(row)
    return found


def _price_from(states: list[PriceState], moment: datetime, fallback: int) -> int:
    """The price at `moment` from the state in force then (the opening price before any)."""
    in_force = None
    for row in states:
        if row.at > moment:
            break
        in_force = row
    if in_force is None:
        return states[0].price_after if states else fallback
    return pricing.price(settings_of(in_force), _recorded_state(in_force), moment)


def prices_at(rewards: Sequence[Reward], moments: Sequence[datetime]) -> dict[int, list[int]]:
    """Each reward's price at each of the moments (one query, none for the present).

    Before a reward opened it had no price: its opening price stands in.
    """
    past = {reward.id for reward in rewards if any(m < reward.demand_at for m in moments)}
    recorded = _states_in_force(sorted(past), moments) if past else {}
    prices = {}
    for reward in rewards:
        settings, state = settings_of(reward), state_of(reward)
        states = recorded.get(reward.id, [])
        prices[reward.id] = [
            pricing.price(settings, state, moment)
            if moment >= reward.demand_at
            else _price_from(states, moment, reward.base_price)
            for moment in moments
        ]
    return prices


def daily_prices(rewards: Sequence[Reward], at: datetime) -> dict[int, list[int]]:
    """Each reward's price now and on each of the last `WEEK_DAYS` days, newest first."""
    return prices_at(rewards, [at - timedelta(days=back) for back in range(WEEK_DAYS + 1)])


# A chart's samples are at least this far apart; its price jumps are drawn from at most this many events.
SAMPLE_SPACING = timedelta(hours=1)
CHART_EVENTS = 50


def price_history(
    reward: Reward, start: datetime, end: datetime, points: int = 200
) -> list[tuple[datetime, int]]:
    """The price from `start` (or the opening) to `end`: at most about `points` (at, price).

    Evenly timed samples (at least `SAMPLE_SPACING` apart), and where there
    were few events, each one's price just before and right after it, so a
    jump shows where it happened. Three queries whatever the volume; the
    last point is the price at `end`.
    """
    opened = db.session.scalar(
        select(PriceState.at)
        .where(PriceState.reward_id == reward.id)
        .order_by(PriceState.at)
        .limit(1)
    )
    start = max(start, opened or reward.created_at)
    if start >= end:
        return [(end, price_now(reward, end))]
    events = db.session.execute(
        select(PriceState.at, PriceState.price_before, PriceState.price_after)
        .where(PriceState.reward_id == reward.id, PriceState.at > start, PriceState.at <= end)
        .order_by(PriceState.at, PriceState.id)
        .limit(CHART_EVENTS + 1)
    ).all()
    jumps = []
    if len(events) <= CHART_EVENTS:
        for at, before, after in events:
            if before is not None and before != after:
                jumps += [(at, before), (at, after)]
    samples = max(2, min(points - len(jumps), int((end - start) / SAMPLE_SPACING) + 1))
    step = (end - start) / (samples - 1)
    moments = [start + step * index for index in range(samples - 1)] + [end]
    sampled = zip(moments, prices_at([reward], moments)[reward.id], strict=True)
    # Sorted by time; at a jump's moment the price before comes first (a stable sort).
    return sorted([*jumps, *sampled], key=lambda point: point[0])


def change_over(prices: list[int], days_back: int, created_at: datetime, at: datetime):
    """The percentage change over `days_back` days of `daily_prices`' list, one decimal.

    None for a reward that did not exist back then: it has no change to show.
    """
    if created_at > at - timedelta(days=days_back):
        return None
    return change_pct(prices[0], prices[days_back])


def change_pct(now: int, then: int) -> float:
    """Percentage change from `then` to `now`, one decimal."""
    return round((now - then) * 100 / then, 1)


def next_fall(rewards: Sequence[Reward], at: datetime) -> datetime | None:
    """The first moment after `at` at which one of these rewards' price falls with time alone."""
    moments = [
        pricing.next_fall(settings_of(reward), state_of(reward), max(at, reward.demand_at))
        for reward in rewards
    ]
    return min((moment for moment in moments if moment is not None), default=None)
