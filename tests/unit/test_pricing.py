"""The pricing engine's promised properties, checked by Hypothesis."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from pojo.market.pricing import (
    RESTING_HORIZON,
    WINDOW,
    PriceSettings,
    demand_at,
    price_at,
    price_for_demand,
    validate_settings,
)

START = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def settings(draw):
    floor = draw(st.integers(min_value=1, max_value=5_000))
    base = draw(st.integers(min_value=floor + 1, max_value=floor * 4 + 10))
    ceiling = draw(st.integers(min_value=base + 1, max_value=base * 4 + 10))
    expected = draw(st.integers(min_value=1, max_value=30))
    found = PriceSettings(base=base, floor=floor, ceiling=ceiling, expected_per_30d=expected)
    assume(not validate_settings(found))
    return found


# Redemption times within 90 days, as seconds from START.
history = st.lists(st.integers(min_value=0, max_value=90 * 86_400), max_size=60, unique=True).map(
    lambda seconds: sorted(START + timedelta(seconds=s) for s in seconds)
)
moments = st.integers(min_value=0, max_value=130 * 86_400).map(
    lambda s: START + timedelta(seconds=s)
)


@given(settings(), st.integers(min_value=0, max_value=10**9))
def test_price_is_whole_points_between_floor_and_ceiling(price_settings, count):
    price = price_for_demand(price_settings, count)
    assert isinstance(price, int)
    assert price_settings.floor <= price <= price_settings.ceiling


@given(settings(), history, moments)
def test_a_redemption_never_lowers_the_price(price_settings, times, at):
    before = price_at(price_settings, times, at)
    after = price_at(price_settings, [*times, at], at)
    assert after >= before


@given(settings(), st.integers(min_value=0, max_value=200))
def test_two_redemptions_in_a_row_raise_the_price_unless_at_the_ceiling(price_settings, count):
    price = price_for_demand(price_settings, count)
    assume(price < price_settings.ceiling)
    assert price_for_demand(price_settings, count + 2) > price


@given(settings(), history, st.lists(st.integers(min_value=0, max_value=40 * 86_400), max_size=20))
def test_without_redemptions_price_falls_monotonically_to_floor_within_horizon(
    price_settings, times, offsets
):
    last = times[-1] if times else START
    checkpoints = sorted(last + timedelta(seconds=s) for s in offsets)
    prices = [price_at(price_settings, times, at) for at in checkpoints]
    assert prices == sorted(prices, reverse=True)
    assert price_at(price_settings, times, last + RESTING_HORIZON) == price_settings.floor


@given(settings(), st.integers(min_value=0, max_value=60 * 86_400))
def test_steady_demand_at_expected_rate_keeps_the_base_price(price_settings, offset):
    spacing = WINDOW // price_settings.expected_per_30d
    # "Evenly spaced at exactly E per 30 days" needs the spacing to divide 30 days exactly.
    assume(spacing * price_settings.expected_per_30d == WINDOW)
    times = [START + spacing * i for i in range(4 * price_settings.expected_per_30d + 1)]
    # Any moment after the first full window, while the steady redemptions go on.
    at = START + WINDOW + timedelta(seconds=offset)
    assume(at <= times[-1])
    assert price_at(price_settings, times, at) == price_settings.base


@given(settings(), history)
def test_replaying_history_reproduces_recorded_prices(price_settings, times):
    # Record a tick at each redemption, as the market does, then replay from scratch.
    recorded = [(at, price_at(price_settings, times[: i + 1], at)) for i, at in enumerate(times)]
    replayed = [(at, price_at(price_settings, list(reversed(times)), at)) for at, _ in recorded]
    assert replayed == recorded


@given(settings(), history, moments)
def test_demand_window_is_half_open(price_settings, times, at):
    inside = [at - WINDOW + timedelta(microseconds=1), at]
    outside = [at - WINDOW, at + timedelta(microseconds=1)]
    assert demand_at([*times, *inside, *outside], at) == demand_at(times, at) + 2


def test_settings_refused_when_one_redemption_barely_moves_the_price():
    flat = PriceSettings(base=101, floor=100, ceiling=102, expected_per_30d=10)
    assert validate_settings(flat)


def test_settings_refused_unless_floor_below_base_below_ceiling():
    assert validate_settings(PriceSettings(base=100, floor=100, ceiling=200, expected_per_30d=2))
    assert validate_settings(PriceSettings(base=100, floor=50, ceiling=100, expected_per_30d=2))


README = Path(__file__).resolve().parents[2] / "README.md"


def test_example_from_the_readme():
    """The README's massage example, read from the README itself, is what the engine charges."""
    text = README.read_text(encoding="utf-8")
    settings = re.search(
        r"base price (\d+), floor (\d+), ceiling (\d+) and (\d+) expected redemptions", text
    )
    counts_row = re.search(r"^\| redemptions in the last 30 days \|(.+)\|$", text, re.M)
    prices_row = re.search(r"^\| price \(points\) \|(.+)\|$", text, re.M)
    base, floor, ceiling, expected = map(int, settings.groups())
    counts = [int(cell.split()[0]) for cell in counts_row.group(1).split("|")]
    prices = [int(cell) for cell in prices_row.group(1).split("|")]
    assert (base, floor, ceiling, expected) == (400, 240, 800, 4)
    assert counts == list(range(9)) and len(prices) == 9
    massage = PriceSettings(base=base, floor=floor, ceiling=ceiling, expected_per_30d=expected)
    assert [price_for_demand(massage, count) for count in counts] == prices
    assert price_for_demand(massage, 20) == ceiling  # "8 or more"
