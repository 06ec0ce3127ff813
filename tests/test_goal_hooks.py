"""Points that arrive tell the saver at once: awards, outcome imports and refunds check goals."""

from datetime import timedelta

from sqlalchemy import select

from pojo.awards import service as awards
from pojo.awards.models import Award
from pojo.database import utcnow
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.market import goals, redemptions
from pojo.market.models import Redemption, SavingsGoal
from pojo.notifications.service import recent, render_message
from pojo.outcomes.models import Outcome
from pojo.outcomes.recording import record_outcomes
from pojo.outcomes.service import OutcomeInput
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points

# The Massage opens at 300; helped_colleague is worth 30, an NPS of 10 is worth 50.


def saver_short_of_the_massage(app, make_employee, balance=270):
    """An agent with `balance` points and the Massage pinned as their goal."""
    agent = make_employee()
    give_points(app, agent, balance)
    reward_id = add_reward(app)
    with app.app_context(), unit_of_work():
        goals.set_goal(get_employee(agent), reward_id)
    return agent, reward_id


def goal_notices(username):
    """The employee's notices about goals and redemptions, oldest first, as this transaction
    sees them (awards and outcome points have notices of their own)."""
    return [
        n
        for n in reversed(recent(get_employee(username).id))
        if n.kind.startswith(("goal_", "redemption_"))
    ]


def notice_kinds(username):
    return [n.kind for n in goal_notices(username)]


def nps_10(external_id, username, occurred_at=None):
    return OutcomeInput(0, external_id, username, "nps", 10, occurred_at or utcnow())


def test_award_that_makes_the_goal_affordable_notifies_in_the_same_transaction(app, make_employee):
    agent, reward_id = saver_short_of_the_massage(app, make_employee)
    hr = make_employee(role="hr", team="Office")
    with app.app_context(), unit_of_work():
        awards.award(get_employee(hr), agent, "helped_colleague", "Covered the phones")
        # Not committed yet: the notice is part of the award's own transaction.
        assert notice_kinds(agent) == ["goal_affordable"]
    with app.app_context():
        (notice,) = goal_notices(agent)
        assert (
            render_message(notice, "en") == "You can now afford your goal: Massage, at 300 points."
        )
        assert notice.link == f"/market/rewards/{reward_id}"


def test_second_award_does_not_notify_the_affordable_goal_again(app, make_employee):
    agent, _reward_id = saver_short_of_the_massage(app, make_employee)
    hr = make_employee(role="hr", team="Office")
    for note in ("Covered the phones", "Trained the new starter"):
        with app.app_context(), unit_of_work():
            awards.award(get_employee(hr), agent, "helped_colleague", note)
    with app.app_context():
        assert notice_kinds(agent) == ["goal_affordable"]


def test_award_short_of_the_goal_notifies_nothing(app, make_employee):
    agent, _reward_id = saver_short_of_the_massage(app, make_employee, balance=100)
    hr = make_employee(role="hr", team="Office")
    with app.app_context(), unit_of_work():
        awards.award(get_employee(hr), agent, "helped_colleague", "Covered the phones")
    with app.app_context():
        assert notice_kinds(agent) == []


def test_outcome_import_that_makes_goals_affordable_notifies_each_saver_once(app, make_employee):
    first, _reward_id = saver_short_of_the_massage(app, make_employee)
    second, _other_id = saver_short_of_the_massage(app, make_employee)
    hr = make_employee(role="hr", team="Office")
    batch = [nps_10("nps-1", first), nps_10("nps-2", first), nps_10("nps-3", second)]
    with app.app_context(), unit_of_work():
        recorded = record_outcomes(get_employee(hr), batch, "api")
        assert recorded.points_awarded == 150
        assert notice_kinds(first) == ["goal_affordable"]
        assert notice_kinds(second) == ["goal_affordable"]


def test_refund_of_a_cancelled_redemption_notifies_the_goal_it_makes_affordable(app, make_employee):
    # Pinned when already affordable, so not announced; the redemption takes it out of reach.
    agent, goal_id = saver_short_of_the_massage(app, make_employee, balance=300)
    hr = make_employee(role="hr", team="Office")
    hoodie_id = add_reward(
        app, name_en="Hoodie", name_fi="Huppari", base_price=200, floor_price=120
    )
    with app.app_context(), unit_of_work():
        redemption_id = redemptions.redeem(get_employee(agent), hoodie_id, 200).id  # 100 left
    with app.app_context(), unit_of_work():
        redemptions.cancel(get_employee(hr), redemption_id, "Out of sizes")
    with app.app_context():
        assert notice_kinds(agent) == ["goal_affordable", "redemption_cancelled"]
        goal = db.session.get(SavingsGoal, get_employee(agent).id)
        assert goal.reward_id == goal_id and goal.affordable_notified


# -- at=: demo data and history imports date what the services write ---------------


def test_backdated_cancel_dates_the_decision_and_the_refund(app, make_employee):
    agent = make_employee()
    hr = make_employee(role="hr", team="Office")
    give_points(app, agent, 500)
    reward_id = add_reward(app)
    bought = utcnow() - timedelta(days=20)
    with app.app_context(), unit_of_work():
        redemption_id = redemptions.redeem(get_employee(agent), reward_id, 600, at=bought).id
    decided = bought + timedelta(days=2)
    with app.app_context(), unit_of_work():
        redemptions.cancel(get_employee(hr), redemption_id, "Therapist ill", at=decided)
    with app.app_context():
        cancelled = db.session.get(Redemption, redemption_id)
        assert cancelled.decided_at == decided
        assert cancelled.refund_entry.at == decided
        assert cancelled.refund_entry.created_at > decided  # written now, dated then


def test_backdated_fulfil_dates_the_decision(app, make_employee):
    agent = make_employee()
    hr = make_employee(role="hr", team="Office")
    give_points(app, agent, 500)
    reward_id = add_reward(app)
    with app.app_context(), unit_of_work():
        redemption_id = redemptions.redeem(get_employee(agent), reward_id, 600).id
    decided = utcnow() - timedelta(hours=3)
    with app.app_context(), unit_of_work():
        redemptions.fulfil(get_employee(hr), redemption_id, at=decided)
    with app.app_context():
        assert db.session.get(Redemption, redemption_id).decided_at == decided


def test_backdated_goal_keeps_the_price_of_its_day_as_reference(app, make_employee):
    buyer = make_employee()
    saver = make_employee()
    give_points(app, buyer, 2000)
    reward_id = add_reward(app, at=utcnow() - timedelta(days=90))
    with app.app_context(), unit_of_work():
        for _ in range(4):  # four redemptions now raise today's price
            redemptions.redeem(get_employee(buyer), reward_id, 600)
    pinned = utcnow() - timedelta(days=60)
    with app.app_context(), unit_of_work():
        goals.set_goal(get_employee(saver), reward_id, at=pinned)
    with app.app_context():
        goal = db.session.get(SavingsGoal, get_employee(saver).id)
        # 30 days after opening at 300, nobody had redeemed it: it had eased down to 256.
        assert (goal.created_at, goal.reference_price) == (pinned, 256)


def test_backdated_outcome_import_dates_outcome_award_and_entry(app, make_employee):
    agent = make_employee()
    hr = make_employee(role="hr", team="Office")
    recorded_at = utcnow() - timedelta(days=30)
    occurred_at = recorded_at - timedelta(hours=5)
    with app.app_context(), unit_of_work():
        record_outcomes(
            get_employee(hr), [nps_10("nps-old", agent, occurred_at)], "api", at=recorded_at
        )
    with app.app_context():
        outcome = db.session.scalar(select(Outcome))
        award = db.session.get(Award, outcome.award_id)
        entry = db.session.get(LedgerEntry, award.entry_id)
        assert outcome.recorded_at == award.created_at == entry.at == recorded_at


def test_outcome_later_than_a_backdated_import_is_refused(app, make_employee):
    agent = make_employee()
    hr = make_employee(role="hr", team="Office")
    recorded_at = utcnow() - timedelta(days=30)
    with app.app_context(), unit_of_work():
        recorded = record_outcomes(
            get_employee(hr), [nps_10("nps-later", agent)], "api", at=recorded_at
        )
    assert recorded.accepted == 0
    assert recorded.rejected == [(0, "in_future", "occurred_at is in the future.")]
