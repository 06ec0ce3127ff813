"""The planner's rules for taking a shift (pojo.shifts.rules), as plain values."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pojo.shifts.rules import Span, take_problem

H = timedelta(hours=1)
DAY = datetime(2026, 12, 24, 14, tzinfo=UTC)
EVENING = Span(DAY, DAY + 6 * H)
REST = 11 * H


def test_a_free_day_may_be_taken():
    assert take_problem(EVENING, [], REST, True) == ("", None)


def test_an_overlap_is_named_with_the_shift_it_overlaps():
    own = Span(DAY + 5 * H, DAY + 13 * H)
    assert take_problem(EVENING, [own], REST, True) == ("overlap", own)


def test_too_little_rest_before_or_after_is_refused_with_the_neighbour():
    morning_before = Span(DAY - 8 * H, DAY - 2 * H)  # 2 hours of rest before
    assert take_problem(EVENING, [morning_before], REST, True) == ("rest_period", morning_before)
    next_morning = Span(DAY + 6 * H + 10 * H, DAY + 24 * H)  # 10 hours after
    assert take_problem(EVENING, [next_morning], REST, True) == ("rest_period", next_morning)


def test_exactly_the_minimum_rest_is_enough():
    next_morning = Span(DAY + 6 * H + REST, DAY + 6 * H + REST + 8 * H)
    assert take_problem(EVENING, [next_morning], REST, True) == ("", None)


def test_a_shift_after_the_contract_is_refused_first():
    own = Span(DAY + 5 * H, DAY + 13 * H)
    assert take_problem(EVENING, [own], REST, False) == ("contract_ended", None)


@given(
    start=st.integers(-72, 72),
    length=st.integers(1, 12),
    rest_hours=st.integers(0, 24),
)
def test_any_refusal_is_true_of_the_shifts_and_a_pass_leaves_the_rest(start, length, rest_hours):
    own = Span(DAY + start * H, DAY + (start + length) * H)
    rest = rest_hours * H
    problem, other = take_problem(EVENING, [own], rest, True)
    overlap = own.starts_at < EVENING.ends_at and EVENING.starts_at < own.ends_at
    gap = max(EVENING.starts_at - own.ends_at, own.starts_at - EVENING.ends_at)
    if overlap:
        assert problem == "overlap"
    elif gap < rest:
        assert (problem, other) == ("rest_period", own)
    else:
        assert problem == ""
