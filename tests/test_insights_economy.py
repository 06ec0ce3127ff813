"""The points economy from a small known history: what HR reads on the dashboard."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pojo.insights import periods
from pojo.insights.economy import economy
from pojo.market import catalogue, redemptions
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import give_points

HELSINKI = ZoneInfo("Europe/Helsinki")
OPENED = datetime(2025, 6, 1, 9, tzinfo=UTC)
END = datetime(2026, 3, 1, tzinfo=UTC)


def add_cheap_reward(app, name="Cinema", price=120) -> int:
    with app.app_context(), unit_of_work():
        return catalogue.create_reward(
            None, at=OPENED, name_en=name, name_fi=name, base_price=price,
            floor_price=price - 20, ceiling_price=price * 2, category="experience",
        ).id  # fmt: skip


def redeem(app, username, reward_id, at) -> int:
    with app.app_context(), unit_of_work():
        return redemptions.redeem(get_employee(username), reward_id, 10_000, at=at).price_paid


@pytest.fixture
def history(app, make_employee):
    """Aino: 100 on 10 Jan, 50 on 5 Feb, a 120-point cinema on 20 Feb; Bo: 200 in Jan."""
    aino, bo = make_employee("aino"), make_employee("bo")
    cinema = add_cheap_reward(app, price=140)
    add_cheap_reward(app, "Book", 999)
    give_points(app, aino, 100, at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    give_points(app, aino, 50, at=datetime(2026, 2, 5, 12, tzinfo=UTC))
    give_points(app, bo, 200, at=datetime(2026, 1, 15, 12, tzinfo=UTC))
    # Unredeemed for months, the cinema's price has fallen to its floor.
    assert redeem(app, aino, cinema, datetime(2026, 2, 20, 12, tzinfo=UTC)) == 120
    return aino, bo


def figures(app, members=None, end=END, days=90):
    start = end - timedelta(days=days)
    with app.app_context():
        return economy(start, end, periods.months(start, end, HELSINKI), members)


def test_issued_and_redeemed_per_month_the_rate_and_the_liability(app, history):
    found = figures(app)
    by_month = {m.period.first.isoformat(): (m.issued, m.redeemed) for m in found.months}
    assert by_month == {
        "2025-12-01": (0, 0),
        "2026-01-01": (300, 0),
        "2026-02-01": (50, 120),
        "2026-03-01": (0, 0),
    }
    assert (found.issued, found.redeemed) == (350, 120)
    assert found.rate == pytest.approx(120 / 350)
    assert found.liability_points == 30 + 200


def test_points_spent_are_matched_to_the_oldest_points_earned(app, history):
    # Of the 120 points spent on 20 Feb, 100 were earned on 10 Jan (41 days) and
    # 20 on 5 Feb (15 days): the median point is 41 days old.
    assert figures(app).median_days_to_spend == pytest.approx(41.0)


def test_points_unspent_for_over_six_months_are_dormant(app, history):
    # Seven months on, Aino's 30 left (of the February points) and Bo's 200 are dormant.
    later = figures(app, end=datetime(2026, 9, 1, tzinfo=UTC))
    assert later.dormant_points == 230
    assert figures(app).dormant_points == 0


def test_the_most_and_least_wanted_rewards(app, history):
    found = figures(app)
    assert [(r.name_en, r.redemptions) for r in found.most_wanted] == [("Cinema", 1)]
    assert [r.name_en for r in found.least_wanted] == ["Book"]


def test_a_scope_counts_only_its_members(app, history):
    aino, bo = history
    with app.app_context():
        bo_id = get_employee(bo).id
    found = figures(app, members=(bo_id,))
    assert (found.issued, found.redeemed, found.liability_points) == (200, 0, 200)
    assert found.median_days_to_spend is None


def test_the_days_movements_added_live_give_the_whole_window(app, history):
    from pojo.insights.economy import with_today

    aino, _bo = history
    # The cinema (20 Feb, 12:00 UTC) is "today's": the day began at midnight in Helsinki.
    since, now = datetime(2026, 2, 19, 22, tzinfo=UTC), datetime(2026, 2, 20, 18, tzinfo=UTC)
    start = since - timedelta(days=90)
    months = periods.months(start, now, HELSINKI)
    with app.app_context():
        whole = economy(start, now, months)
        history_part = economy(start, since, months)
        assert history_part.redeemed == 0
        combined = with_today(history_part, since, now)
    assert combined.months == whole.months
    assert (combined.issued, combined.redeemed) == (whole.issued, whole.redeemed)
    assert combined.most_wanted == whole.most_wanted
    assert combined.liability_points == whole.liability_points
