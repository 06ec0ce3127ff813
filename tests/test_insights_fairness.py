"""Fairness: who gave and got how much, and what stands out from its group, with the figure."""

from datetime import timedelta

import pytest

from pojo.awards.service import award
from pojo.database import utcnow
from pojo.insights.fairness import fairness
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work


def give(app, giver: str, to: str, times: int = 1, code: str = "fcr"):
    with app.app_context(), unit_of_work():
        for _ in range(times):
            award(get_employee(giver), to, code, "well done")


@pytest.fixture
def team(app, make_employee):
    """Alpha: four agents; a temp among them. Three supervisors give awards."""
    people = [make_employee(f"a{i}", team="Alpha", temp=i == 3) for i in range(4)]
    hr = [make_employee(f"boss{i}", role="hr", team="Office") for i in range(3)]
    return people, hr


def figures(app):
    now = utcnow()
    with app.app_context():
        return fairness(now - timedelta(days=30), now + timedelta(seconds=1))


def test_a_member_far_above_the_team_median_is_marked_with_the_figures(app, team):
    (a0, a1, a2, temp), (b0, b1, b2) = team
    give(app, b0, a0, 10)
    for person in (a1, a2, temp):
        give(app, b1, person, 2)
    give(app, b2, a1, 1)
    found = figures(app)
    members = {m.person.username: m for m in found.members}
    assert members[a0].flag is not None and members[a0].flag.high
    # 10, 3, 2 and 2 awards of one criterion: the median is 2.5 awards' worth, a0 has 4 times it.
    each = members[a2].points // 2
    flag = members[a0].flag
    assert (flag.value, flag.median, flag.ratio) == (10 * each, 2.5 * each, 4.0)
    assert members[a1].flag is None
    # boss0 gave everything to one person: concentration 100 %, twice the givers' median.
    givers = {g.person.username: g for g in found.givers}
    assert givers[b0].concentration == 1.0 and givers[b0].top.username == a0
    assert givers[b1].concentration == pytest.approx(1 / 3, abs=0.001)


def test_temps_points_per_person_are_compared_with_permanent_staffs(app, team):
    (a0, a1, a2, temp), (b0, _b1, _b2) = team
    for person in (a0, a1, a2):
        give(app, b0, person, 3)
    alpha = {t.team: t for t in figures(app).teams}["Alpha"]
    assert (alpha.temps, alpha.permanent, alpha.temp_points) == (1, 3, 0)
    assert alpha.temp_share == 0
    assert alpha.temp_flag is not None and alpha.temp_flag.ratio == 0


def test_a_reversed_award_does_not_count(app, team, client_as):
    from pojo.ledger.service import reverse_entry

    (a0, *_rest), (b0, *_others) = team
    with app.app_context(), unit_of_work():
        made = award(get_employee(b0), a0, "fcr", "oops")
        reverse_entry(made.entry_id, actor=get_employee(b0), reason="mistake")
    assert figures(app).givers == ()


def test_a_teams_own_supervisor_is_a_giver_not_a_member(app, team, make_employee):
    from sqlalchemy import select

    from pojo.extensions import db
    from pojo.people.models import Team

    (a0, *_rest), _hr = team
    boss = make_employee("alpha.boss", role="supervisor", team="Alpha")
    with app.app_context(), unit_of_work():
        get_employee(boss).supervised_teams = [
            db.session.scalar(select(Team).where(Team.name == "Alpha"))
        ]
    give(app, boss, a0, 2)
    found = figures(app)
    assert boss not in {m.person.username for m in found.members}
    assert boss in {g.person.username for g in found.givers}
