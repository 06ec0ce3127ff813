"""Replaying a reward's recorded history through the price engine, to check the record.

`flask --app pojo ledger verify` runs `mismatches`: from each reward's first
recorded state (its opening, or the anchor of a reward that predates the
engine, or a history import's "imported" anchor) every later state, the price each redemption paid and every
recorded tick must be exactly what `pojo.market.pricing` computes from the
settings and the event times alone.
"""

from sqlalchemy import select

from pojo.extensions import db
from pojo.market import pricing
from pojo.market.demand import settings_of, state_of
from pojo.market.models import PriceState, PriceTick, Redemption, Reward


def _replayed(rows: list[PriceState]) -> list[tuple[pricing.PriceSettings, pricing.DemandState]]:
    """The settings and state after each recorded event, computed from the first alone."""
    first = rows[0]
    settings = settings_of(first)
    state = pricing.DemandState(first.demand, first.at, first.price_cap)
    if first.cause == "opened":
        state = pricing.opening(settings, first.at)
    out = [(settings, state)]
    for row in rows[1:]:
        if row.cause == "redeemed":
            state = pricing.redeemed(settings, state, row.at)
        elif row.cause == "imported":
            # A history import's anchor (pojo.market.imported): the demand it folded in.
            state = pricing.DemandState(row.demand, row.at, row.price_cap)
        else:
            new = settings_of(row)
            state = pricing.changed(settings, new, state, row.at)
            settings = new
        out.append((settings, state))
    return out


def reward_mismatches(reward: Reward) -> list[tuple]:
    """What in one reward's record the replay does not reproduce: (reward id, what, row id)."""
    rows = list(
        db.session.scalars(
            select(PriceState)
            .where(PriceState.reward_id == reward.id)
            .order_by(PriceState.at, PriceState.id)
        )
    )
    if not rows:
        return [(reward.id, "no recorded price state", None)]
    found = []
    replayed = _replayed(rows)
    for row, (settings, state) in zip(rows, replayed, strict=True):
        if (row.demand, row.price_cap) != (state.demand, state.cap) or row.at != state.at:
            found.append((reward.id, "state differs from the replay", row.id))
        if row.price_after != pricing.price(settings, state, state.at):
            found.append((reward.id, "price after differs from the replay", row.id))
    settings, state = replayed[-1]
    if settings != settings_of(reward) or state != state_of(reward):
        found.append((reward.id, "the reward's state is not its last recorded one", rows[-1].id))
    paid = dict(
        db.session.execute(
            select(PriceState.id, Redemption.price_paid)
            .join(Redemption, Redemption.id == PriceState.redemption_id)
            .where(PriceState.reward_id == reward.id)
        ).all()
    )
    for index, row in enumerate(rows):
        if row.cause == "redeemed":
            previous_settings, previous_state = replayed[index - 1]
            before = pricing.price(previous_settings, previous_state, row.at)
            if row.price_before != before or paid.get(row.id) != before:
                found.append((reward.id, "price paid differs from the replay", row.id))
    steps = [pricing.Step(None, settings, state, None, 0) for settings, state in replayed]
    ticks = db.session.execute(
        select(PriceTick.id, PriceTick.at, PriceTick.price)
        .where(PriceTick.reward_id == reward.id, PriceTick.at >= rows[0].at)
        .order_by(PriceTick.at, PriceTick.id)
    ).all()
    prices = pricing.prices_along(steps, [tick.at for tick in ticks])
    # Several events at one instant: a tick then may record the price between them.
    at_instant: dict = {}
    for row in rows:
        at_instant.setdefault(row.at, set()).update({row.price_after, row.price_before})
    for tick, price in zip(ticks, prices, strict=True):
        if tick.price != price and tick.price not in at_instant.get(tick.at, ()):
            found.append((reward.id, f"tick records {tick.price}, replay gives {price}", tick.id))
    return found


def mismatches() -> list[tuple]:
    found = []
    for reward in db.session.scalars(select(Reward).order_by(Reward.id)):
        found.extend(reward_mismatches(reward))
        if len(found) >= 20:
            break
    return found
