"""The segments HR sees (pojo.insights.segments): each label from the figures that define it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pojo.insights.segments import CODES, Features, Thresholds, classify

BASE = Features(
    history_days=365,
    earned=1200,
    redemptions=6,
    redemptions_per_year=6.0,
    median_days_to_redeem=20.0,
    median_balance=300.0,
    upper_third_share=0.3,
    days_since_redemption=30,
    cheapest_price=150,
    lower_third_price=400,
)


def with_(**values) -> Features:
    return Features(**{**BASE.__dict__, **values})


def test_an_impulse_redeemer_redeems_soon_and_carries_little():
    made = classify(
        with_(redemptions=14, redemptions_per_year=14, median_days_to_redeem=2, median_balance=80)
    )
    assert (made.code, made.reason) == ("impulse", "median_days_to_redeem")


def test_a_goal_saver_carries_well_past_the_cheap_rewards_and_buys_rarely_and_dear():
    made = classify(
        with_(redemptions=2, redemptions_per_year=2, median_balance=900, upper_third_share=0.9)
    )
    assert made.code == "saver"


def test_someone_who_earns_but_has_not_redeemed_for_six_months_is_dormant():
    assert classify(with_(days_since_redemption=200)).code == "dormant"
    assert classify(with_(days_since_redemption=None, redemptions=0)).code == "dormant"
    # Nothing earned, nothing redeemed: not dormant by this rule.
    assert classify(with_(earned=0, days_since_redemption=None, redemptions=0)).code == "balanced"


def test_under_ninety_days_of_history_is_new_whatever_else():
    assert classify(with_(history_days=89, days_since_redemption=None)).code == "new"


def test_the_rest_is_balanced():
    assert classify(BASE).code == "balanced"


def test_thresholds_are_configurable_and_checked():
    eager = Thresholds().changed(impulse_days=30, impulse_carry=3)
    assert classify(BASE, eager).code == "impulse"
    with pytest.raises(ValueError):
        Thresholds().changed(nonsense=1)
    with pytest.raises(ValueError):
        Thresholds().changed(new_days=-1)


@given(
    history=st.integers(0, 2000),
    earned=st.integers(0, 10**6),
    redemptions=st.integers(0, 200),
    days=st.none() | st.floats(0, 365),
    balance=st.floats(0, 10**6),
    share=st.floats(0, 1),
    since=st.none() | st.integers(0, 2000),
)
def test_every_employee_gets_exactly_one_known_label(
    history, earned, redemptions, days, balance, share, since
):
    made = classify(
        with_(
            history_days=history,
            earned=earned,
            redemptions=redemptions,
            redemptions_per_year=float(redemptions),
            median_days_to_redeem=days,
            median_balance=balance,
            upper_third_share=share,
            days_since_redemption=since,
        )
    )
    assert made.code in CODES
