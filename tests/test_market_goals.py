"""Savings goals: progress, the estimate, and notices that come once."""

from datetime import timedelta

from sqlalchemy import select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.jobs.registry import run_job
from pojo.market import redemptions
from pojo.market.goals import clear_goal, goal_status, set_goal
from pojo.market.models import Reward, SavingsGoal
from pojo.notifications.service import mark_all_read, recent, render_message, unread_count
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points


def pin(app, username, reward_id):
    with app.app_context(), unit_of_work():
        set_goal(get_employee(username), reward_id)


def earn(app, username, points, at=None):
    """Points arrive by an award; the ledger's credit hook checks the goal."""
    give_points(app, username, points, at=at)


def kinds(app, username):
    with app.app_context():
        return [n.kind for n in reversed(recent(get_employee(username).id))]


def test_goal_shows_progress_and_an_estimate_at_the_recent_earning_rate(app, make_employee):
    agent = make_employee()
    reward_id = add_reward(app)
    give_points(app, agent, 150, at=utcnow() - timedelta(days=30))
    pin(app, agent, reward_id)
    with app.app_context():
        status = goal_status(get_employee(agent))
        assert (status.price, status.balance, status.progress_pct) == (300, 150, 50)
        assert status.points_needed == 150
        # 150 points in 90 days: the other 150 take 90 more days.
        assert (status.eta - utcnow().date()).days in (89, 90, 91)


def test_goal_without_recent_earnings_has_no_estimate(app, make_employee):
    agent = make_employee()
    pin(app, agent, add_reward(app))
    with app.app_context():
        status = goal_status(get_employee(agent))
        assert status.progress_pct == 0 and status.eta is None


def test_affordable_goal_is_notified_once_until_out_of_reach_again(app, make_employee):
    agent = make_employee()
    goal_id = add_reward(app)
    other_id = add_reward(app, name_en="Hoodie", name_fi="Huppari", base_price=200, floor_price=120)
    pin(app, agent, goal_id)
    earn(app, agent, 200)
    assert kinds(app, agent) == []
    earn(app, agent, 100)  # 300 >= 300
    assert kinds(app, agent) == ["goal_affordable"]
    earn(app, agent, 50)
    assert kinds(app, agent) == ["goal_affordable"]
    with app.app_context(), unit_of_work():
        redemptions.redeem(get_employee(agent), other_id, 200)  # 350 - 200: out of reach
    earn(app, agent, 150)
    assert kinds(app, agent) == ["goal_affordable", "goal_affordable"]
    with app.app_context():
        (latest, _first) = recent(get_employee(agent).id)
        assert render_message(latest, "en") == (
            "You can now afford your goal: Massage, at 300 points."
        )
        assert latest.link == f"/market/rewards/{goal_id}"


def test_goal_pinned_when_already_affordable_is_not_announced(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    pin(app, agent, add_reward(app))
    earn(app, agent, 10)
    assert kinds(app, agent) == []


def test_price_drop_of_ten_percent_is_notified_by_the_tick_and_resets_reference(app, make_employee):
    saver = make_employee()
    now = utcnow()
    reward_id = add_reward(app, at=now)
    pin(app, saver, reward_id)  # at the opening price, 300
    with app.app_context():
        run_job("price_tick", now)
    assert kinds(app, saver) == []
    with app.app_context():
        # Nobody redeemed it: in 20 days it eased down to 263, over 10 % below 300.
        run_job("price_tick", now + timedelta(days=20))
        assert db.session.get(SavingsGoal, get_employee(saver).id).reference_price == 263
    assert kinds(app, saver) == ["goal_price_drop"]
    with app.app_context():
        (notice,) = recent(get_employee(saver).id)
        assert "dropped to 263 points (it was 300)" in render_message(notice, "en")
        run_job("price_tick", now + timedelta(days=25))  # 259: not 10 % below 263
    assert kinds(app, saver) == ["goal_price_drop"]


def test_unread_count_and_mark_all_read(app, make_employee):
    agent = make_employee()
    pin(app, agent, add_reward(app))
    earn(app, agent, 500)
    with app.app_context(), unit_of_work():
        employee_id = get_employee(agent).id
        assert unread_count(employee_id) == 1
        assert mark_all_read(employee_id) == 1
    with app.app_context():
        assert unread_count(employee_id) == 0


def test_clearing_or_replacing_goal_keeps_one_goal(app, make_employee):
    agent = make_employee()
    first, second = add_reward(app), add_reward(app, name_en="Spa day")
    pin(app, agent, first)
    pin(app, agent, second)
    with app.app_context():
        goals = db.session.scalars(select(SavingsGoal)).all()
        assert [goal.reward_id for goal in goals] == [second]
    with app.app_context(), unit_of_work():
        clear_goal(get_employee(agent))
    with app.app_context():
        assert goal_status(get_employee(agent)) is None
        assert db.session.get(Reward, first) is not None
