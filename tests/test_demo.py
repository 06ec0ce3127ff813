"""`flask demo`: a living contact centre on an empty database, and never on a used one."""

from datetime import timedelta
from statistics import mean

import pytest
from sqlalchemy import func, select

from pojo.awards.models import Award
from pojo.database import utcnow
from pojo.demo.build import build
from pojo.demo.people import DEMO_PASSWORD
from pojo.extensions import db
from pojo.insights.models import SegmentFigures, SegmentSnapshot
from pojo.market import replay
from pojo.market.models import PriceState, PriceTick, Redemption, Reward, SavingsGoal
from pojo.notifications.models import Notification
from pojo.people.models import Employee, Team
from pojo.unit_of_work import unit_of_work

# A year of simulated history and more: left out of the fast tier (pytest -m "not slow").
pytestmark = pytest.mark.slow


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_fills_an_empty_database_with_a_living_contact_centre(app, runner, login):
    result = runner.invoke(args=["demo", "--months", "2"])

    assert result.exit_code == 0, result.output
    assert "supervisor.alpha" in result.output and DEMO_PASSWORD in result.output
    with app.app_context():
        agents = db.session.scalars(select(Employee).where(Employee.role == "agent")).all()
        temps = [agent for agent in agents if agent.is_temp]
        assert len(agents) == 40
        agent = agents[0].username
        assert len(temps) >= 10 and all(t.agency_name and t.contract_end for t in temps)
        soon = utcnow().date() + timedelta(days=14)
        assert sum(temp.contract_end <= soon for temp in temps) >= 2
        teams = db.session.scalars(select(Team)).all()
        assert len(teams) >= 3 and all(team.supervisors for team in teams)
        assert _count(Employee, Employee.role == "hr") == 1
        assert _count(Employee, Employee.role == "admin") == 1
        assert _count(Reward) >= 12 and _count(Reward, Reward.kind == "shift_swap") == 1
        assert _count(Award, Award.source == "manual") > 0
        assert _count(Award, Award.source == "outcome") > 0
        assert _count(Redemption, Redemption.status == "fulfilled") > 0
        assert _count(SavingsGoal) > 0 and _count(PriceTick) > 0 and _count(Notification) > 0
        # The dashboard's segments are stored already: its first view reads them.
        assert "segment snapshots stored" in result.output
        assert _count(SegmentSnapshot) >= 1 and _count(SegmentFigures) >= 40
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0
    assert (
        login(app.test_client(), "supervisor.alpha", DEMO_PASSWORD).get("/awards/new").status_code
        == 200
    )
    assert login(app.test_client(), agent, DEMO_PASSWORD).get("/wallet").status_code == 200


def test_demo_refuses_a_database_that_has_employees(app, runner, make_employee):
    make_employee("aino.virtanen")

    result = runner.invoke(args=["demo", "--months", "1"])

    assert result.exit_code != 0
    assert "already has employees" in result.output
    with app.app_context():
        assert _count(Employee) == 1 and _count(Reward) == 0


def test_demo_if_empty_leaves_a_used_database_alone_and_succeeds(app, runner, make_employee):
    make_employee("aino.virtanen")

    result = runner.invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 0
    assert "Nothing to do" in result.output
    with app.app_context():
        assert _count(Employee) == 1


def test_demo_history_is_the_same_for_the_same_seed(app):
    with app.app_context(), unit_of_work():
        first = build(seed=7, months=1)
        redeemers = sorted(first.tally.redemptions.items())
        db.session.rollback()
    with app.app_context(), unit_of_work():
        again = build(seed=7, months=1)
        assert sorted(again.tally.redemptions.items()) == redeemers
        assert [a.username for a in again.staff.agents] == [a.username for a in first.staff.agents]


def _redemptions_by_agent() -> dict[int, list[Redemption]]:
    found: dict[int, list[Redemption]] = {}
    for redemption in db.session.scalars(select(Redemption).order_by(Redemption.id)):
        found.setdefault(redemption.employee_id, []).append(redemption)
    return found


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_year_of_demo_history_shows_each_persona_clearly(app):
    """The full default year: the behaviours the insights issue labels are plain to see."""
    with app.app_context():
        with unit_of_work():
            demo = build(seed=2017, months=12)
        now = utcnow()
        done = _redemptions_by_agent()
        by_persona: dict[str, list] = {}
        for agent in demo.staff.agents:
            by_persona.setdefault(agent.persona, []).append(done.get(agent.id, []))
        per_year = sum(map(len, done.values())) / len(demo.staff.agents)
        assert 5 <= per_year <= 8, "about six redemptions per person per year"
        assert mean(map(len, by_persona["impulse"])) >= 2 * mean(map(len, by_persona["saver"]))
        saver_prices = [r.price_paid for rs in by_persona["saver"] for r in rs]
        impulse_prices = [r.price_paid for rs in by_persona["impulse"] for r in rs]
        assert mean(saver_prices) >= 2 * mean(impulse_prices)
        for redemptions in by_persona["dormant"]:
            assert all(now - r.created_at > timedelta(days=180) for r in redemptions)
        for redemptions in by_persona["saver"] + by_persona["impulse"]:
            assert redemptions and now - redemptions[-1].created_at < timedelta(days=180)
        new_hires = [a for a in demo.staff.agents if a.persona == "new"]
        assert all(now - agent.hired < timedelta(days=90) for agent in new_hires)
        assert _count(Redemption, Redemption.status == "pending") >= 1
        assert _count(Redemption, Redemption.status == "cancelled") >= 1


def test_replaying_the_demo_year_reproduces_every_recorded_price(app):
    """The price at any moment follows from the settings, the opening and the redemption times."""
    with app.app_context():
        with unit_of_work():
            build(seed=2017, months=12)
        rewards = db.session.scalars(select(Reward)).all()
        # One recorded state per opening and per redemption, and each equals its replay.
        assert _count(PriceState) == len(rewards) + _count(Redemption)
        assert _count(PriceTick) > 1000
        assert replay.mismatches() == []
        # One redemption moves a price by at most the step, 8 %; none lowers it.
        moves = db.session.execute(
            select(PriceState.price_before, PriceState.price_after).where(
                PriceState.cause == "redeemed"
            )
        ).all()
        assert all(before <= after <= before * 1.08 for before, after in moves)
        assert sum(after > before for before, after in moves) == len(moves)


def test_every_run_shows_who_can_log_in_and_demo_logins_lists_everyone(app, runner, make_employee):
    make_employee("hr.person", role="hr", team="Office")
    make_employee("supervisor.alpha", role="supervisor", team="Alpha")
    agents = [make_employee(f"agent.{n}", temp=n == 0) for n in range(5)]

    again = runner.invoke(args=["demo", "--if-empty"])  # what `make run` prints the next time

    assert again.exit_code == 0 and "Nothing to do" in again.output
    assert "supervisor.alpha" in again.output and "hr.person" in again.output
    assert DEMO_PASSWORD in again.output and "flask --app pojo demo logins" in again.output
    assert sum(agent in again.output for agent in agents) == 3
    listed = runner.invoke(args=["demo", "logins"])
    assert listed.exit_code == 0, listed.output
    assert all(agent in listed.output for agent in agents) and DEMO_PASSWORD in listed.output
    assert "temp from Staffpoint" in listed.output
