"""How a reward's price follows demand. Pure: no Flask, no database.

A reward's **demand** ``D`` is a number of redemptions that fades with time:
each redemption adds one, and the sum halves every ``h`` days (the
half-life, default 14). HR's settings are the base price ``B``, floor ``F``,
ceiling ``C``, the most one redemption may raise the price, the step ``s``
(default 8 %), and the expected demand ``n`` redemptions per 30 days. With
``λ = n / 30`` per day and ``k = ln 2 / h``::

    E = λ / k                        the demand of a reward redeemed at its expected rate
    w = min(1, 1 / (4 λ))            the share of a step one redemption is worth
    x = B · (1 + s) ^ (w · (D − E))  clamped to [F, C]
    price = x rounded to whole points (half up)

A new reward opens with ``D = E``, so at its base price. Redeemed as often
as expected, ``D`` stays near ``E`` and the price within a step of base; a
run of redemptions raises it one step (``w``) each, up to the ceiling;
without redemptions it eases down toward its **resting level**
``max(F, B · (1 + s) ^ (−w · E))``. ``w`` is below one only for rewards
expected more than 7.5 times in 30 days: one of many redemptions is less
news, and the fading of their demand stays within half a step a day.

How demand fades, so that prices move smoothly and never fall fast::

    dD/dt = −min(k · D, φ / w)      while D ≥ D_tail
    dD/dt = −D_tail / T_tail         while 0 < D < D_tail

- demand fades exponentially (halving every ``h`` days) in the middle;
- above ``D_fast = φ / (w · k)`` it falls linearly, so the price never falls
  by more than ``φ`` (half a step) in a day;
- below ``D_tail = min(1/2, E)`` it falls linearly to zero in ``T_tail = 90``
  days (at most ``E``, so a reward redeemed as expected stays near base):
  the last stretch is slow, so a reward nobody redeems for months still
  eases down week by week, and the price reaches its resting level in a
  finite time: `resting_horizon_days`.

Demand stays between ``D_bottom`` and ``D_top``, the demands at which ``x``
reaches the floor and the ceiling: a reward at its ceiling gains no
further demand to work off later, and one at its floor no deficit to make
up before its price can rise again.

Whole points: the floor is at least ``⌈100 / step %⌉`` (one step is at
least a point, so a few redemptions in a row always raise the price), and
right after a redemption the price is at most ``max(p + 1, ⌊p · (1 + s)⌋)``
for the price ``p`` just before it (the cap holds until the next change),
so one redemption never raises the price by more than the step (or one
point, for a price at which one point is more than the step).

The price at any moment is a pure function of the settings, the moment the
reward opened and its redemption times (`replay`): the state kept with the
reward (`DemandState`) only saves replaying from the start. A change of the
settings at a moment carries the demand over and applies the new settings
from then on; the prices before stay as they were.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# The price falls by at most this share of a step a day.
MAX_DAILY_FALL_STEPS = 0.5
# Below this demand, it falls linearly to zero in `TAIL_DAYS`: the last stretch to the
# resting level is slow, so a reward nobody redeems for months still eases down each week.
TAIL_DEMAND = 0.5
TAIL_DAYS = 90
# One redemption is worth a whole step up to this expected rate (redemptions per day).
FULL_STEP_RATE = 0.25
STEP_PCT = (1, 25)
HALF_LIFE_DAYS = (3, 60)
DEFAULT_STEP_PCT = 8
DEFAULT_HALF_LIFE_DAYS = 14
EXPECTED_PER_30D = (1, 1000)
_DAY = 86_400.0


def N_(message: str) -> str:
    """Mark a message for translation; the caller translates it."""
    return message


@dataclass(frozen=True)
class PriceSettings:
    base: int
    floor: int
    ceiling: int
    expected_per_30d: int
    step_pct: int = DEFAULT_STEP_PCT
    half_life_days: int = DEFAULT_HALF_LIFE_DAYS

    @property
    def step(self) -> float:
        return self.step_pct / 100

    @property
    def rate(self) -> float:
        """Expected redemptions per day."""
        return self.expected_per_30d / 30

    @property
    def k(self) -> float:
        return math.log(2) / self.half_life_days

    @property
    def expected_demand(self) -> float:
        """``E``: the demand of a reward redeemed at its expected rate."""
        return self.rate / self.k

    @property
    def weight(self) -> float:
        """``w``: the share of a step one redemption is worth."""
        return min(1.0, FULL_STEP_RATE / self.rate)

    @property
    def top_demand(self) -> float:
        """``D_top``: the demand at which the price reaches the ceiling."""
        steps = math.log(self.ceiling / self.base) / math.log1p(self.step)
        return self.expected_demand + steps / self.weight

    @property
    def bottom_demand(self) -> float:
        """The demand at which the price reaches the floor (0 if it rests above the floor)."""
        steps = math.log(self.base / self.floor) / math.log1p(self.step)
        return max(0.0, self.expected_demand - steps / self.weight)

    @property
    def tail_demand(self) -> float:
        """``D_tail``: below it demand falls linearly to zero in `TAIL_DAYS`."""
        return min(TAIL_DEMAND, self.expected_demand)

    @property
    def fast_demand(self) -> float:
        """``D_fast``: above it demand falls linearly, half a step of price a day."""
        return MAX_DAILY_FALL_STEPS / (self.weight * self.k)


@dataclass(frozen=True)
class DemandState:
    """The demand at a moment, and the cap the last redemption set on the price."""

    demand: float
    at: datetime
    cap: int | None = None


def smallest_floor(step_pct: int) -> int:
    """The lowest floor at which one step is at least a whole point."""
    return math.ceil(100 / step_pct)


def validate_settings(settings: PriceSettings) -> list[tuple[str, dict]]:
    """The problems with these settings, as untranslated messages and their values; empty when fine."""
    problems = []
    if not EXPECTED_PER_30D[0] <= settings.expected_per_30d <= EXPECTED_PER_30D[1]:
        problems.append((N_("Expected demand is from 1 to 1000 redemptions per 30 days."), {}))
    if settings.floor < 1:
        problems.append((N_("The floor price is at least one point."), {}))
    if not settings.floor < settings.base < settings.ceiling:
        problems.append(
            (N_("Prices must satisfy floor < base < ceiling, so the price can move both ways."), {})
        )
    if not STEP_PCT[0] <= settings.step_pct <= STEP_PCT[1]:
        problems.append((N_("The step per redemption is from 1 to 25 percent."), {}))
    elif settings.floor < smallest_floor(settings.step_pct):
        problems.append(
            (
                N_(
                    "With a step of %(step)s %%, the floor price is at least %(floor)s points, "
                    "so that one step is at least a whole point."
                ),
                {"step": settings.step_pct, "floor": smallest_floor(settings.step_pct)},
            )
        )
    if not HALF_LIFE_DAYS[0] <= settings.half_life_days <= HALF_LIFE_DAYS[1]:
        problems.append((N_("The half-life of demand is from 3 to 60 days."), {}))
    return problems


# -- demand in time ------------------------------------------------------------


def faded(settings: PriceSettings, demand: float, days: float) -> float:
    """The demand `days` after it was `demand`, with no redemption in between."""
    return max(settings.bottom_demand, _faded(settings, demand, days))


def _faded(settings: PriceSettings, demand: float, days: float) -> float:
    if days <= 0 or demand <= 0:
        return max(demand, 0.0)
    k, fast, tail = settings.k, settings.fast_demand, settings.tail_demand
    if demand > fast:
        speed = MAX_DAILY_FALL_STEPS / settings.weight
        linear = (demand - fast) / speed
        if days <= linear:
            return demand - speed * days
        days, demand = days - linear, fast
    if demand > tail:
        exponential = math.log(demand / tail) / k
        if days <= exponential:
            return demand * math.exp(-k * days)
        days, demand = days - exponential, tail
    return max(0.0, demand - tail / TAIL_DAYS * days)


def fading_days(settings: PriceSettings, demand: float, target: float) -> float:
    """How many days demand takes to fade from `demand` to `target` (0 if already there)."""
    target = max(target, settings.bottom_demand)
    if target >= demand:
        return 0.0
    k, fast, tail = settings.k, settings.fast_demand, settings.tail_demand
    days = 0.0
    if demand > fast:
        speed = MAX_DAILY_FALL_STEPS / settings.weight
        if target >= fast:
            return (demand - target) / speed
        days, demand = (demand - fast) / speed, fast
    if demand > tail:
        if target >= tail:
            return days + math.log(demand / target) / k
        days, demand = days + math.log(demand / tail) / k, tail
    return days + (demand - target) * TAIL_DAYS / tail


def _days(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / _DAY)


def demand_at(settings: PriceSettings, state: DemandState, at: datetime) -> float:
    return faded(settings, state.demand, _days(state.at, at))


# -- price ---------------------------------------------------------------------


def _unrounded(settings: PriceSettings, demand: float) -> float:
    demand = min(demand, settings.top_demand)
    steps = settings.weight * (demand - settings.expected_demand)
    value = settings.base * (1 + settings.step) ** steps
    return min(max(value, settings.floor), settings.ceiling)


def _whole(value: float) -> int:
    # The tiny epsilon keeps exact halves (12.5 computed as 12.4999...) rounding up.
    return math.floor(value + 0.5 + 1e-9)


def price_of(settings: PriceSettings, demand: float, cap: int | None = None) -> int:
    """The whole-point price at this demand, under the cap of the last redemption."""
    price = min(max(_whole(_unrounded(settings, demand)), settings.floor), settings.ceiling)
    return price if cap is None else max(settings.floor, min(price, cap))


def price(settings: PriceSettings, state: DemandState, at: datetime) -> int:
    """The price at `at` (not before the state's moment)."""
    return price_of(settings, demand_at(settings, state, at), state.cap)


def resting_price(settings: PriceSettings) -> int:
    """The price with no demand at all: where it eases down to when nobody redeems."""
    return price_of(settings, 0.0)


def resting_horizon_days(settings: PriceSettings) -> float:
    """The most days, after the last redemption, the price takes to reach its resting level."""
    return fading_days(settings, settings.top_demand, settings.bottom_demand)


def days_to_rest(settings: PriceSettings, demand: float) -> float:
    """How many days, with no redemption, from `demand` until the price is its resting price."""
    rest = resting_price(settings)
    if price_of(settings, demand) <= rest:
        return 0.0
    # The whole-point price is `rest` once x < rest + 1/2 (a hair less: `_whole` rounds up).
    steps = math.log((rest + 0.5 - 1e-6) / settings.base) / math.log1p(settings.step)
    return fading_days(settings, demand, settings.expected_demand + steps / settings.weight)


def next_fall(settings: PriceSettings, state: DemandState, at: datetime) -> datetime | None:
    """The first moment after `at` at which the whole-point price falls, if it ever does."""
    now = price(settings, state, at)
    if now <= resting_price(settings):
        return None
    # round(x) < now exactly when x < now - 1/2: the demand at which x is that.
    steps = math.log((now - 0.5 - 1e-9) / settings.base) / math.log1p(settings.step)
    target = settings.expected_demand + steps / settings.weight
    current = demand_at(settings, state, at)
    if target <= 0:
        return None
    days = fading_days(settings, current, target)
    return at + timedelta(seconds=math.ceil(days * _DAY) + 1)


# -- events --------------------------------------------------------------------


def opening(settings: PriceSettings, at: datetime) -> DemandState:
    """A new reward's state: the demand of one redeemed as expected, so its base price."""
    return DemandState(settings.expected_demand, at)


def redeemed(settings: PriceSettings, state: DemandState, at: datetime) -> DemandState:
    """The state right after a redemption at `at`; the price paid is `price` just before."""
    at = max(at, state.at)
    before = price(settings, state, at)
    demand = min(
        demand_at(settings, state, at) + 1, max(settings.top_demand, settings.bottom_demand)
    )
    cap = max(before + 1, before * (100 + settings.step_pct) // 100)
    return DemandState(demand, at, cap)


def changed(
    old: PriceSettings, new: PriceSettings, state: DemandState, at: datetime
) -> DemandState:
    """The state when the settings change from `old` to `new` at `at`: demand carries over."""
    at = max(at, state.at)
    carried = min(max(demand_at(old, state, at), new.bottom_demand), new.top_demand)
    return DemandState(carried, at, None)


@dataclass(frozen=True)
class Opened:
    at: datetime
    settings: PriceSettings


@dataclass(frozen=True)
class Redeemed:
    at: datetime


@dataclass(frozen=True)
class SettingsChanged:
    at: datetime
    settings: PriceSettings


Event = Opened | Redeemed | SettingsChanged


@dataclass(frozen=True)
class Step:
    """One event replayed: the settings and state after it, and the price before and after."""

    event: Event
    settings: PriceSettings
    state: DemandState
    price_before: int | None
    price_after: int


def replay(events: Iterable[Event]) -> list[Step]:
    """Replay a reward's history, in order, from its opening (or any anchored state)."""
    steps: list[Step] = []
    settings = state = None
    for event in events:
        if isinstance(event, Opened):
            settings, state, before = event.settings, opening(event.settings, event.at), None
        elif settings is None:
            raise ValueError("a history starts with its opening")
        elif isinstance(event, Redeemed):
            before = price(settings, state, event.at)
            state = redeemed(settings, state, event.at)
        else:
            before = price(settings, state, event.at)
            state = changed(settings, event.settings, state, event.at)
            settings = event.settings
        steps.append(Step(event, settings, state, before, price(settings, state, state.at)))
    return steps


def prices_along(steps: Sequence[Step], moments: Iterable[datetime]) -> list[int]:
    """The price at each moment (in time order, none before the first step) of a replay."""
    found, index = [], 0
    for moment in moments:
        while index + 1 < len(steps) and steps[index + 1].state.at <= moment:
            index += 1
        step = steps[index]
        found.append(price(step.settings, step.state, moment))
    return found
