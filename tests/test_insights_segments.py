"""Segments measured from real ledgers: each clear-cut behaviour gets its label, on both DBs."""

from datetime import timedelta

import pytest

from pojo.database import utcnow
from pojo.insights import service
from pojo.unit_of_work import unit_of_work
from tests.insights_helpers import build_histories


@pytest.fixture
def histories(app):
    end = utcnow().replace(microsecond=0)
    build_histories(app, end)
    with app.app_context():
        service.clear_cache()
    return end


def _report(app, end, **kwargs):
    with app.app_context(), unit_of_work():
        return service.segment_report(at=end, **kwargs)


def test_each_behaviour_gets_its_label(app, histories):
    report = _report(app, histories)
    labels = {row.username: row.segment.code for row in report.employees}
    assert labels == {
        "impulse": "impulse",
        "saver": "saver",
        "balanced": "balanced",
        "dormant": "dormant",
        "newcomer": "new",
    }
    assert report.summary() == {"impulse": 1, "saver": 1, "balanced": 1, "dormant": 1, "new": 1}


def test_the_figures_behind_the_labels(app, histories):
    rows = {row.username: row.segment.features for row in _report(app, histories).employees}
    impulse, saver, balanced = rows["impulse"], rows["saver"], rows["balanced"]
    assert impulse.redemptions == 12 and impulse.median_days_to_redeem < 0.1
    assert impulse.median_balance == 0
    assert saver.redemptions_per_year <= 4 and saver.upper_third_share == 1.0
    assert saver.median_balance >= 3 * saver.lower_third_price
    # The cancelled seventh redemption does not count; each waited weeks after it sufficed.
    assert balanced.redemptions == 6
    assert balanced.median_days_to_redeem > 7
    assert rows["dormant"].days_since_redemption == 301
    assert rows["newcomer"].history_days == 30


def test_the_explanation_gives_the_figures(app, histories):
    report = _report(app, histories)
    with app.test_request_context():
        said = {row.username: service.explain(row.segment) for row in report.employees}
    assert said["impulse"] == "Redeemed 12 times, on average 0 days after the points sufficed."
    assert "301 days ago" in said["dormant"]
    assert said["newcomer"] == "30 days of history: too early to tell."


def test_a_shorter_window_and_new_entries_are_measured_afresh(app, histories):
    year = _report(app, histories)
    quarter = _report(app, histories, window_days=90)
    assert quarter.window_days == 90
    assert {r.username: r.segment.features.redemptions for r in quarter.employees}["impulse"] == 3
    later = histories + timedelta(days=200)
    assert _report(app, later).summary() != year.summary()


def test_ones_own_profile_matches_hrs_view_of_it(app, histories):
    from pojo.people.service import find_employee

    report = _report(app, histories)
    with app.app_context(), unit_of_work():
        for row in report.employees:
            own = service.own_profile(find_employee(row.username))
            assert own.code == row.segment.code, row.username
            assert own.features.redemptions == row.segment.features.redemptions


def test_new_thresholds_show_on_the_next_dashboard_view_not_the_next_day(app, histories):
    """The dashboard caches its labels; HR's new thresholds are part of what they were made with."""
    from pojo.insights.dashboard import dashboard
    from pojo.insights.thresholds import set_thresholds
    from pojo.people.service import find_employee

    with app.app_context(), unit_of_work():
        hr = find_employee("test.giver")
        before = dashboard(hr, 365).overall
    assert 0 < before.count("new") < before.total
    with app.app_context(), unit_of_work():
        # Everyone with under ten years of history counts as new.
        assert set_thresholds(find_employee("test.giver"), {"insights_new_days": 3650})
    with app.app_context(), unit_of_work():
        after = dashboard(find_employee("test.giver"), 365).overall
    assert after.count("new") == after.total == before.total
