"""Redeeming like a limit order, HR's decisions, the board and price history."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from pojo.database import utcnow
from pojo.errors import (
    Conflict,
    Forbidden,
    InsufficientPoints,
    InvalidInput,
    LimitReached,
    NotFound,
    OutOfStock,
    PriceMoved,
    RewardUnavailable,
)
from pojo.extensions import db
from pojo.jobs.models import JobRun
from pojo.jobs.registry import run_job
from pojo.ledger.models import LedgerEntry
from pojo.ledger.service import balance_of
from pojo.market import board, catalogue, goals, pricing, redemptions, replay
from pojo.market.demand import settings_of
from pojo.market.models import PriceTick, Redemption, Reward
from pojo.market.reward_detail import reward_detail
from pojo.notifications.models import Notification
from pojo.notifications.service import recent, render_message
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points
from tests.query_count import counting_statements


def tick(app, now):
    with app.app_context():
        return run_job("price_tick", now)


def redeem(app, username, reward_id, max_price, **kwargs):
    with app.app_context(), unit_of_work():
        made = redemptions.redeem(get_employee(username), reward_id, max_price, **kwargs)
        return made.id, made.price_paid


def test_redemption_charges_current_price_records_tick_and_takes_stock(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app, stock=5)
    redemption_id, paid = redeem(app, agent, reward_id, max_price=350)
    assert paid == 300  # a new reward opens at its base price, below the 350 accepted
    with app.app_context():
        assert balance_of(get_employee(agent).id) == 700
        assert db.session.get(Reward, reward_id).stock == 4
        entry = db.session.get(Redemption, redemption_id).entry
        assert (entry.points, entry.kind, entry.reference) == (
            -300,
            "redemption",
            f"redemption:{redemption_id}",
        )
        tick = db.session.scalars(select(PriceTick)).one()
        assert tick.price == 324 and tick.period_start is None  # the price after it: 8 % more


def test_redemption_refused_when_price_moved_and_nothing_charged(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app)
    redeem(app, agent, reward_id, max_price=300)
    with pytest.raises(PriceMoved) as refused:
        redeem(app, agent, reward_id, max_price=300)
    assert refused.value.details == {"price": 324}
    assert refused.value.status == 409
    assert refused.value.message == ("The price moved from 300 to 324 points; nothing was charged.")
    with app.app_context():
        assert balance_of(get_employee(agent).id) == 700
        assert db.session.scalar(select(func.count()).select_from(Redemption)) == 1


def test_sold_out_reward_is_refused(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app, stock=1)
    redeem(app, agent, reward_id, max_price=600)
    with pytest.raises(OutOfStock) as refused:
        redeem(app, agent, reward_id, max_price=600)
    assert refused.value.code == "out_of_stock" and refused.value.status == 409


def test_short_balance_is_refused_with_insufficient_points(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 100)
    reward_id = add_reward(app, stock=1)
    with pytest.raises(InsufficientPoints):
        redeem(app, agent, reward_id, max_price=600)
    with app.app_context():
        assert db.session.get(Reward, reward_id).stock == 1
        assert balance_of(get_employee(agent).id) == 100


def test_double_submitted_request_id_makes_one_redemption(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app)
    first = redeem(app, agent, reward_id, max_price=600, request_id="form-1")
    second = redeem(app, agent, reward_id, max_price=600, request_id="form-1")
    assert first == second
    with app.app_context():
        assert balance_of(get_employee(agent).id) == 700


def test_per_person_limit_refuses_a_second_spa_day_in_a_quarter(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 2000)
    reward_id = add_reward(app, per_person_limit=1, limit_period="quarter")
    redeem(app, agent, reward_id, max_price=600)
    with pytest.raises(LimitReached):
        redeem(app, agent, reward_id, max_price=600)


def test_inactive_reward_cannot_be_redeemed(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app, active=False)
    with pytest.raises(RewardUnavailable):
        redeem(app, agent, reward_id, max_price=600)


def test_cancel_refunds_by_compensating_entry_restocks_and_notifies(app, make_employee):
    agent = make_employee()
    hr = make_employee(role="hr", team="Office")
    give_points(app, agent, 1000)
    reward_id = add_reward(app, stock=1)
    redemption_id, _paid = redeem(app, agent, reward_id, max_price=600)
    with app.app_context(), unit_of_work():
        redemptions.cancel(get_employee(hr), redemption_id, "Supplier closed")
    with app.app_context():
        employee = get_employee(agent)
        assert balance_of(employee.id) == 1000
        redemption = db.session.get(Redemption, redemption_id)
        assert redemption.status == "cancelled"
        assert redemption.refund_entry.points == 300
        assert db.session.get(Reward, reward_id).stock == 1
        (notice,) = recent(employee.id)
        assert "cancelled" in render_message(notice, "en")
        assert "Supplier closed" in render_message(notice, "en")
        assert notice.link == "/wallet"


def test_fulfil_notifies_and_a_decided_redemption_cannot_be_decided_again(app, make_employee):
    agent = make_employee()
    hr = make_employee(role="hr", team="Office")
    give_points(app, agent, 1000)
    redemption_id, _paid = redeem(app, agent, add_reward(app), max_price=600)
    with app.app_context(), unit_of_work():
        redemptions.fulfil(get_employee(hr), redemption_id)
    with (
        pytest.raises(Conflict),
        app.app_context(),
        unit_of_work(),
    ):
        redemptions.cancel(get_employee(hr), redemption_id, "Too late")
    with app.app_context():
        (notice,) = recent(get_employee(agent).id)
        assert notice.kind == "redemption_fulfilled"
        assert "Massage" in render_message(notice, "en")
        assert balance_of(get_employee(agent).id) == 700


def test_agents_cannot_fulfil_or_manage_rewards(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    redemption_id, _paid = redeem(app, agent, add_reward(app), max_price=600)
    with app.app_context(), pytest.raises(Forbidden):
        redemptions.fulfil(get_employee(agent), redemption_id)
    with app.app_context(), pytest.raises(Forbidden):
        catalogue.create_reward(get_employee(agent), name_en="x", name_fi="x", base_price=100)


@pytest.mark.parametrize(
    "fields",
    [
        {"base_price": 0},
        {"floor_price": 300},
        {"ceiling_price": 250},
        {"base_price": 3, "floor_price": 2, "ceiling_price": 4, "expected_per_30d": 20},
        {"name_en": "  "},
        {"category": "cars"},
        {"stock": -1},
        {"per_person_limit": 1, "limit_period": None},
    ],
)
def test_reward_with_bad_settings_is_refused(app, fields):
    with pytest.raises(InvalidInput):
        add_reward(app, **fields)


def test_update_reward_keeps_image_unless_replaced_or_removed(app):
    reward_id = add_reward(app, image=b"\x89PNG...", image_type="image/png")
    with app.app_context(), unit_of_work():
        catalogue.update_reward(None, reward_id, base_price=320, stock=3)
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert (reward.base_price, reward.stock, reward.image_type) == (320, 3, "image/png")
    with app.app_context(), unit_of_work():
        catalogue.update_reward(None, reward_id, image=None, image_type=None)
    with app.app_context():
        assert db.session.get(Reward, reward_id).image_type is None


def test_board_shows_prices_moving_after_a_burst_of_redemptions(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 5000)
    now = utcnow()
    reward_id = add_reward(app, at=now - timedelta(days=20))
    for hours in (5, 4, 3):
        redeem(app, agent, reward_id, max_price=600, at=now - timedelta(hours=hours))
    with app.app_context():
        (row,) = board.board_rows(at=now)
        # Opened at 300 and eased down to 264 in 20 days; three redemptions, 8 % each at most.
        assert row.price == 331
        assert row.change_24h_pct == pytest.approx(25.4)  # from 264 a day ago
        assert row.change_7d_pct == pytest.approx(21.7)  # from 272 a week ago
        assert row.sparkline == [272, 270, 269, 268, 267, 265, 264, 331]
        assert row.stock_left is None


def test_board_uses_the_same_queries_for_3_rewards_as_for_30(app):
    def statements_for_board() -> int:
        with counting_statements(app) as seen:
            board.board_rows()
        return len(seen)

    for n in range(3):
        add_reward(app, name_en=f"Reward {n}")
    few = statements_for_board()
    for n in range(27):
        add_reward(app, name_en=f"More {n}")
    assert statements_for_board() == few <= 3


def test_reward_detail_has_history_and_demand_by_day(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 5000)
    now = utcnow()
    opened = now - timedelta(days=60)
    reward_id = add_reward(app, at=opened)
    redeem(app, agent, reward_id, max_price=600, at=now - timedelta(days=40))
    redeem(app, agent, reward_id, max_price=600, at=now - timedelta(days=2))
    with app.app_context():
        detail = reward_detail(get_employee(agent), reward_id, at=now)
        assert detail.demand_30d == 1
        moments = [moment for moment, _price in detail.history]
        # 90 days asked, 60 lived: from the opening to now, at most 200 points in time order.
        assert len(moments) == 200 and moments[0] == opened and moments[-1] == now
        assert moments == sorted(moments)
        # Every point is the engine's price from the settings and the redemption times alone,
        # and each redemption shows as its jump: the price before it and right after it.
        redeemed_at = [now - timedelta(days=40), now - timedelta(days=2)]
        replayed = pricing.replay(
            [pricing.Opened(opened, settings_of(detail.reward))]
            + [pricing.Redeemed(moment) for moment in redeemed_at]
        )
        for moment, step in zip(redeemed_at, replayed[1:], strict=True):
            at_jump = [price for at, price in detail.history if at == moment]
            assert at_jump[:2] == [step.price_before, step.price_after]
            assert step.price_after > step.price_before
        samples = [(at, price) for at, price in detail.history if at not in redeemed_at]
        assert [price for _at, price in samples] == pricing.prices_along(
            replayed, [at for at, _price in samples]
        )
        assert detail.history[0][1] == 300 and detail.history[-1][1] == detail.price
        assert len(detail.recent_redemptions_by_day) == 30
        assert sum(count for _day, count in detail.recent_redemptions_by_day) == 1


def test_tick_job_records_one_tick_per_reward_per_interval(app):
    add_reward(app)
    add_reward(app, name_en="Hoodie")
    now = utcnow()
    assert tick(app, now) == "2 price ticks recorded"
    assert tick(app, now + timedelta(seconds=1)) == "0 price ticks recorded"
    later = now + timedelta(minutes=app.config["PRICE_TICK_MINUTES"])
    assert tick(app, later) == "2 price ticks recorded"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PriceTick)) == 4
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 2


def test_replaying_redemption_times_reproduces_every_recorded_price(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 20000)
    now = utcnow()
    reward_id = add_reward(app, at=now - timedelta(days=60))
    for days in (45, 31, 20, 19.5, 10, 3, 2.7, 2.4, 1):
        when = now - timedelta(days=days)
        redeem(app, agent, reward_id, max_price=600, at=when)
        tick(app, when + timedelta(hours=6))
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        times = db.session.scalars(
            select(Redemption.created_at)
            .where(Redemption.reward_id == reward_id)
            .order_by(Redemption.created_at)
        ).all()
        replayed = pricing.replay(
            [pricing.Opened(reward.created_at, settings_of(reward))]
            + [pricing.Redeemed(moment) for moment in times]
        )
        recorded = db.session.scalars(select(PriceTick).order_by(PriceTick.at)).all()
        assert len(recorded) == 18
        replay_prices = pricing.prices_along(replayed, [one.at for one in recorded])
        assert [one.price for one in recorded] == replay_prices
        paid = db.session.scalars(
            select(Redemption.price_paid).order_by(Redemption.created_at)
        ).all()
        assert paid == [step.price_before for step in replayed[1:]]
        assert replay.reward_mismatches(reward) == []


def test_ledger_keeps_redemption_and_refund_entries_referenced(app, make_employee):
    agent = make_employee()
    hr = make_employee(role="hr", team="Office")
    give_points(app, agent, 1000)
    redemption_id, _paid = redeem(app, agent, add_reward(app), max_price=600)
    with app.app_context(), unit_of_work():
        redemptions.cancel(get_employee(hr), redemption_id, "Changed plans")
    with app.app_context():
        references = db.session.scalars(
            select(LedgerEntry.reference).where(LedgerEntry.kind.in_(["redemption", "refund"]))
        ).all()
        assert references == [f"redemption:{redemption_id}"] * 2
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


@pytest.mark.parametrize("reward_id", [0, -1, 2**31, 2**63, True])
def test_unknown_or_impossible_reward_ids_are_not_found(app, make_employee, reward_id):
    agent = make_employee()
    with app.app_context():
        with pytest.raises(NotFound):
            redemptions.redeem(get_employee(agent), reward_id, 100)
        with pytest.raises(NotFound):
            goals.set_goal(get_employee(agent), reward_id)
        with pytest.raises(NotFound):
            reward_detail(get_employee(agent), reward_id)


def test_reward_page_closes_are_the_prices_at_each_local_days_end(app, make_employee):
    agent = make_employee()
    now = utcnow()
    reward_id = add_reward(app, at=now - timedelta(days=10, hours=3))
    with app.app_context():
        detail = reward_detail(get_employee(agent), reward_id, at=now)
        zone = ZoneInfo(app.config["TIMEZONE"])
        (today, price_now), (yesterday, price_then) = detail.closes[:2]
        assert today == now.astimezone(zone).date() and price_now == detail.price
        midnight = datetime.combine(today, time(), zone).astimezone(UTC)
        reward = db.session.get(Reward, reward_id)
        replayed = pricing.replay([pricing.Opened(reward.created_at, settings_of(reward))])
        assert yesterday == today - timedelta(days=1)
        assert price_then == pricing.prices_along(replayed, [midnight])[0]
        # Only the days it was on the market: ten or eleven, as the local clock falls.
        assert len(detail.closes) in (11, 12)
