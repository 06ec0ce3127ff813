"""How a reward's price follows demand. Pure: no Flask, no database.

Demand ``c`` is the number of the reward's redemptions in the last 30 days,
a sliding half-open window ``(t - 30 days, t]``. Cancelled redemptions
count too: the wish was real, and it keeps replaying history exact.

With ``E`` the expected redemptions per 30 days (the demand at which the
price rests at its base)::

    c <= E:  price = floor * (base / floor) ** (c / E)
    c >= E:  price = base * (ceiling / base) ** ((c - E) / E)

then rounded to whole points (half up) and clamped to [floor, ceiling].
So no demand rests at the floor, demand as expected gives the base price,
and twice the expected demand reaches the ceiling. Each redemption
multiplies the price by the same factor within each half, so a burst moves
the price quickly while a single redemption of a cheap reward still shows.

With no redemptions the price only falls, one expiring redemption at a
time, and is back at the floor at most ``RESTING_HORIZON`` (30 days) after
the last one. The price at any moment is a function of the settings and
the redemption times alone, so no scheduled job is needed for it to be
right: the price-history ticks only record it.

``validate_settings`` requires floor < base < ceiling and that every
redemption moves the unrounded price by at least half a point, so two
redemptions in a row always raise the whole-point price below the ceiling.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=30)
# With no redemptions, the price is back at its resting level (the floor) within this.
RESTING_HORIZON = WINDOW
# The smallest move of the unrounded price a single redemption may make.
MIN_STEP = 0.5


def N_(message: str) -> str:
    """Mark a message for translation; the caller translates it."""
    return message


@dataclass(frozen=True)
class PriceSettings:
    base: int
    floor: int
    ceiling: int
    expected_per_30d: int


def _unrounded(settings: PriceSettings, count: int) -> float:
    expected = settings.expected_per_30d
    # The ceiling is reached at twice the expected demand; beyond it the power would only overflow.
    count = min(count, 2 * expected)
    if count <= expected:
        return settings.floor * (settings.base / settings.floor) ** (count / expected)
    return settings.base * (settings.ceiling / settings.base) ** ((count - expected) / expected)


def _smallest_steps(settings: PriceSettings) -> tuple[float, float]:
    """The smallest price move of one redemption below and above the expected demand.

    Each half grows geometrically, so its smallest step is its first one.
    """
    expected = settings.expected_per_30d
    below = settings.floor * ((settings.base / settings.floor) ** (1 / expected) - 1)
    above = settings.base * ((settings.ceiling / settings.base) ** (1 / expected) - 1)
    return below, above


def validate_settings(settings: PriceSettings) -> list[str]:
    """The problems with these settings, as untranslated messages; empty when fine."""
    problems = []
    if settings.expected_per_30d < 1:
        problems.append(N_("Expected demand is at least one redemption per 30 days."))
    if settings.floor < 1:
        problems.append(N_("The floor price is at least one point."))
    if not settings.floor < settings.base < settings.ceiling:
        problems.append(
            N_("Prices must satisfy floor < base < ceiling, so the price can move both ways.")
        )
    if problems:
        return problems
    if min(_smallest_steps(settings)) < MIN_STEP:
        problems.append(
            N_(
                "One redemption would move the price by less than half a point: widen the "
                "gap between floor, base and ceiling, or lower the expected demand."
            )
        )
    return problems


def price_for_demand(settings: PriceSettings, count: int) -> int:
    """The whole-point price at a demand of `count` redemptions in the window."""
    # The tiny epsilon keeps exact halves (12.5 computed as 12.4999...) rounding up.
    whole = math.floor(_unrounded(settings, count) + 0.5 + 1e-9)
    return min(max(whole, settings.floor), settings.ceiling)


def demand_at(times: Iterable[datetime], at: datetime) -> int:
    """How many of the redemption `times` fall in the window (at - 30 days, at]."""
    start = at - WINDOW
    return sum(1 for time in times if start < time <= at)


def price_at(settings: PriceSettings, times: Iterable[datetime], at: datetime) -> int:
    """The price at `at`, given the reward's settings and all its redemption times."""
    return price_for_demand(settings, demand_at(times, at))
