"""The pricing engine's promised properties, each checked by Hypothesis."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pojo.market import pricing
from pojo.market.pricing import (
    DemandState,
    Opened,
    PriceSettings,
    Redeemed,
    SettingsChanged,
    opening,
    price,
    redeemed,
    replay,
    resting_horizon_days,
    resting_price,
    validate_settings,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


@st.composite
def price_settings(draw):
    step_pct = draw(st.integers(min_value=1, max_value=25))
    floor = draw(st.integers(min_value=pricing.smallest_floor(step_pct), max_value=50_000))
    base = draw(st.integers(min_value=floor + 1, max_value=floor * 4 + 10))
    ceiling = draw(st.integers(min_value=base + 1, max_value=base * 6 + 10))
    found = PriceSettings(
        base=base,
        floor=floor,
        ceiling=ceiling,
        expected_per_30d=draw(st.integers(min_value=1, max_value=120)),
        step_pct=step_pct,
        half_life_days=draw(st.integers(min_value=3, max_value=60)),
    )
    assert not validate_settings(found)
    return found


# Redemption times within 120 days, as seconds from START.
histories = st.lists(st.integers(min_value=0, max_value=120 * 86_400), max_size=60).map(
    lambda seconds: sorted(START + timedelta(seconds=s) for s in seconds)
)


def state_after(found: PriceSettings, times: list[datetime]) -> DemandState:
    state = opening(found, START)
    for moment in times:
        state = redeemed(found, state, moment)
    return state


def step_limit(found: PriceSettings, before: int) -> int:
    """The most one redemption may add: the step, or one point where a point is more."""
    return max(1, before * found.step_pct // 100)


@given(price_settings(), histories, st.integers(min_value=0, max_value=400 * 86_400))
def test_price_is_whole_points_between_floor_and_ceiling(found, times, seconds):
    state = state_after(found, times)
    value = price(found, state, max(state.at, START + timedelta(seconds=seconds)))
    assert isinstance(value, int)
    assert found.floor <= value <= found.ceiling


@given(price_settings())
def test_a_new_reward_opens_at_its_base_price(found):
    assert price(found, opening(found, START), START) == found.base


@given(price_settings(), histories, st.integers(min_value=0, max_value=30 * 86_400))
def test_one_redemption_never_lowers_the_price_and_raises_it_by_at_most_the_step(
    found, times, later
):
    state = state_after(found, times)
    at = state.at + timedelta(seconds=later)
    before = price(found, state, at)
    after_state = redeemed(found, state, at)
    after = price(found, after_state, at)
    assert before <= after <= before + step_limit(found, before)


@given(price_settings(), histories)
def test_a_few_redemptions_in_a_row_raise_the_price_unless_at_the_ceiling(found, times):
    state = state_after(found, times)
    at = state.at
    before = price(found, state, at)
    assume(before < found.ceiling)
    # One redemption is worth `weight` of a step: a whole step's worth of them, and one more.
    for _ in range(int(2 / found.weight) + 1):
        state = redeemed(found, state, at)
    assert price(found, state, at) > before


@given(price_settings(), histories, st.integers(min_value=0, max_value=200))
def test_without_redemptions_the_price_eases_down_at_most_a_step_a_day(found, times, day):
    state = state_after(found, times)
    start = state.at + day * DAY
    now = price(found, state, start)
    for hours in (1, 6, 12, 24):
        later = price(found, state, start + timedelta(hours=hours))
        assert later <= now
        assert now - later <= step_limit(found, now)


@given(price_settings(), histories)
def test_without_redemptions_the_price_reaches_its_resting_level_within_the_horizon(found, times):
    state = state_after(found, times)
    horizon = timedelta(days=resting_horizon_days(found)) + timedelta(seconds=1)
    assert price(found, state, state.at + horizon) == resting_price(found)


@given(price_settings(), histories, st.integers(min_value=0, max_value=400 * 24))
def test_demand_is_continuous_no_cliff_at_any_hour(found, times, hour):
    """Prices change by at most the step over an hour without a redemption in it."""
    state = state_after(found, times)
    at = state.at + timedelta(hours=hour)
    now = price(found, state, at)
    next_hour = price(found, state, at + timedelta(hours=1))
    assert 0 <= now - next_hour <= step_limit(found, now)


@settings(max_examples=60, deadline=None)
@given(price_settings(), st.integers(min_value=0, max_value=3600))
def test_redeemed_steadily_at_the_expected_rate_it_stays_within_one_step_of_base(found, offset):
    interval = timedelta(days=30) / found.expected_per_30d
    state = opening(found, START)
    at = START + timedelta(seconds=offset)
    low = found.base * 100 / (100 + found.step_pct) - 1
    high = found.base * (100 + found.step_pct) / 100 + 1
    for _ in range(min(400, found.expected_per_30d * 12)):
        for moment in (at, at + interval / 2, at + interval - timedelta(seconds=1)):
            assert low <= price(found, state, moment) <= high
        state = redeemed(found, state, at + interval)
        at += interval


@given(price_settings(), histories, st.integers(min_value=0, max_value=2 * 86_400))
def test_next_fall_is_the_first_moment_the_price_falls(found, times, later):
    state = state_after(found, times)
    at = state.at + timedelta(seconds=later)
    now = price(found, state, at)
    falls = pricing.next_fall(found, state, at)
    if falls is None:
        assert price(found, state, at + timedelta(days=400)) == now
    else:
        assert price(found, state, falls) < now
        assert price(found, state, falls - timedelta(seconds=2)) == now


@settings(deadline=None)
@given(price_settings(), price_settings(), histories, histories)
def test_replaying_a_history_reproduces_its_prices_exactly(first, second, before, after):
    """The price is a pure function of the settings, the opening and the redemption times."""
    change = START + 121 * DAY
    events = [
        Opened(START, first),
        *(Redeemed(moment) for moment in before),
        SettingsChanged(change, second),
        *(Redeemed(moment + 121 * DAY) for moment in after),
    ]
    once, again = replay(events), replay(list(events))
    assert once == again
    # Step by step, the incremental states (as the database keeps them) are the replay's.
    state = opening(first, START)
    for moment in before:
        state = redeemed(first, state, moment)
    state = pricing.changed(first, second, state, change)
    for moment in after:
        state = redeemed(second, state, moment + 121 * DAY)
    assert once[-1].state == state
    # The settings change takes effect from its moment: prices before it stay as they were.
    moments = [START + DAY * day for day in range(0, 121, 7)]
    without_change = replay(events[: 1 + len(before)])
    assert pricing.prices_along(once, moments) == pricing.prices_along(without_change, moments)


def test_invalid_settings_are_refused_with_reasons():
    assert validate_settings(PriceSettings(base=100, floor=100, ceiling=200, expected_per_30d=4))
    assert validate_settings(PriceSettings(base=100, floor=50, ceiling=200, expected_per_30d=0))
    assert validate_settings(
        PriceSettings(base=100, floor=50, ceiling=200, expected_per_30d=4, step_pct=26)
    )
    assert validate_settings(
        PriceSettings(base=100, floor=50, ceiling=200, expected_per_30d=4, half_life_days=2)
    )
    # At 8 %, one step of a price under 13 points is less than a point.
    assert validate_settings(PriceSettings(base=20, floor=12, ceiling=40, expected_per_30d=4))
    assert not validate_settings(PriceSettings(base=20, floor=13, ceiling=40, expected_per_30d=4))
    assert not validate_settings(PriceSettings(base=100, floor=50, ceiling=200, expected_per_30d=4))


def test_the_worked_example_of_the_readme():
    """The README's "How prices move" example, with its figures read from the README."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How prices move", 1)[1].split("\n## ", 1)[0]
    figures = dict(re.findall(r"<!-- example (\w+)=(\d+) -->", section))
    assert figures, "the README's example marks its figures"
    found = PriceSettings(
        base=int(figures["base"]),
        floor=int(figures["floor"]),
        ceiling=int(figures["ceiling"]),
        expected_per_30d=int(figures["expected"]),
    )
    state = opening(found, START)
    assert price(found, state, START) == int(figures["opens"])
    state = redeemed(found, state, START)
    assert price(found, state, START) == int(figures["after_one"])
    assert price(found, state, START + 7 * DAY) == int(figures["week_later"])
    assert resting_price(found) == int(figures["resting"])
