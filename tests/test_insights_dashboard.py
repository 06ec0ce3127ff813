"""The insights dashboard: HR's start page; supervisors see their teams' totals only."""

import csv
import io

import pytest

from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.insights_fakes import install_labels
from tests.market_helpers import give_points
from tests.query_count import counting_statements


@pytest.fixture
def labelled(app, monkeypatch, make_employee):
    """Alpha: 6 agents (2 impulse, 1 saver, 2 temps among them); Beta: 3 agents."""
    alpha = [make_employee(f"alpha{i}", team="Alpha", temp=i >= 4) for i in range(6)]
    beta = [make_employee(f"beta{i}", team="Beta") for i in range(3)]
    labels = {"alpha0": "impulse", "alpha1": "impulse", "alpha2": "saver", "beta0": "dormant"}
    calls = []
    install_labels(monkeypatch, labels, calls)
    return alpha, beta, calls


def supervisor_of(app, make_employee, login, *teams):
    from sqlalchemy import select

    from pojo.extensions import db
    from pojo.people.models import Team

    username = make_employee(role="supervisor", team=teams[0])
    with app.app_context(), unit_of_work():
        boss = get_employee(username)
        boss.supervised_teams = list(db.session.scalars(select(Team).where(Team.name.in_(teams))))
    client = app.test_client()
    login(client, username)
    return client


def test_hr_starts_on_the_dashboard_and_sees_every_label(app, labelled, client_as):
    hr = client_as("hr", team="Office")
    assert hr.get("/").location.endswith("/insights")
    page = hr.get("/insights").get_data(as_text=True)
    assert "Impulse redeemers" in page and "Goal savers" in page
    assert "Alpha0" in page  # an individual, with the sentence explaining the label
    assert "Fairness" in page and "The points economy" in page


def test_the_people_list_filters_by_segment(app, labelled, client_as):
    hr = client_as("hr", team="Office")
    page = hr.get("/insights?segment=impulse").get_data(as_text=True)
    assert "Alpha0" in page and "Alpha1" in page and "Alpha2" not in page


def test_a_supervisor_sees_team_totals_but_nobody_individually(app, labelled, make_employee, login):
    boss = supervisor_of(app, make_employee, login, "Alpha")
    response = boss.get("/insights")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Alpha0" not in page and "Beta" not in page
    assert "Fairness" not in page
    # Alpha has 7 people (6 agents and the supervisor), but only 2 temps: not shown.
    assert "fewer than 5 people: not shown" in page
    assert boss.get("/insights/export/individuals.csv").status_code == 403
    assert boss.get("/insights/export/givers.csv").status_code == 403
    rows = list(
        csv.reader(io.StringIO(boss.get("/insights/export/segments.csv").text.lstrip("\ufeff")))
    )
    groups = {(row[0], row[1]): row for row in rows[1:]}
    assert ("", "all") in groups
    assert ("temp", "employment") not in groups  # 2 temps: fewer than 5
    # Nor the 5 permanent staff: the whole less them would give the 2 temps' segments away.
    assert ("permanent", "employment") not in groups
    assert "not shown: it would reveal a group of fewer than 5" in page
    assert groups[("", "all")][2:5] == ["7", "2", "1"]


def test_a_supervisor_of_a_small_team_sees_no_breakdown(app, labelled, make_employee, login):
    boss = supervisor_of(app, make_employee, login, "Beta")  # 3 agents and the supervisor
    page = boss.get("/insights").get_data(as_text=True)
    assert "Dormant" not in page.split('id="segments"')[1].split("</section>")[0]
    assert "fewer than 5 people: not shown" in page
    rows = list(
        csv.reader(io.StringIO(boss.get("/insights/export/segments.csv").text.lstrip("\ufeff")))
    )
    assert rows[1:] == []


def test_agents_may_not_see_insights(app, labelled, client_as):
    agent = client_as("agent", team="Alpha")
    assert agent.get("/insights").status_code == 403
    assert agent.get("/insights/export/segments.csv").status_code == 403


@pytest.mark.parametrize("window", ["0", "-1", "3", "2147483648", "1e3", "abc", "x" * 5000])
def test_a_bad_window_gets_a_message_not_a_crash(app, labelled, client_as, window):
    hr = client_as("hr", team="Office")
    response = hr.get(f"/insights?window_days={window}")
    assert response.status_code == 400
    assert "The window is a number of days" in response.get_data(as_text=True)
    assert hr.get(f"/insights/export/segments.csv?window_days={window}").status_code == 400


def test_the_window_is_chosen_and_a_bad_segment_is_refused(app, labelled, client_as):
    alpha, beta, calls = labelled
    hr = client_as("hr", team="Office")
    assert hr.get("/insights?window_days=90").status_code == 200
    assert {days for days, _at in calls} == {90}
    assert hr.get("/insights?segment=nonsense").status_code == 400


def test_exports_parse_and_pseudonymise_the_same_way_each_time(app, labelled, client_as):
    hr = client_as("hr", team="Office")
    give_points(app, "alpha0", 50)

    def read(path):
        response = hr.get(path)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))

    plain = read("/insights/export/individuals.csv")
    hidden = read("/insights/export/individuals.csv?pseudonymise=1")
    again = read("/insights/export/individuals.csv?pseudonymise=1&window_days=90")
    assert "alpha0" in {row["username"] for row in plain}
    aliases = {row["username"] for row in hidden}
    assert all(alias.startswith("p-") and len(alias) == 10 for alias in aliases)
    assert not any("alpha" in value for row in hidden for value in row.values())
    assert aliases == {row["username"] for row in again}
    members = read("/insights/export/members.csv?pseudonymise=1")
    assert {row["username"] for row in members} <= aliases
    for name in ("segments", "trend", "pace", "economy", "months", "rewards", "givers", "teams",
                 "recordings"):  # fmt: skip
        assert read(f"/insights/export/{name}.csv") is not None
    assert hr.get("/insights/export/nonsense.csv").status_code == 404


def test_a_second_view_reads_the_cache_in_a_few_statements(app, labelled, client_as):
    hr = client_as("hr", team="Office")
    assert hr.get("/insights").status_code == 200
    with counting_statements(app) as seen:
        assert hr.get("/insights").status_code == 200
    # The session, the cache key, today's sums and reward demand, the liability, the rate.
    assert len(seen) <= 6, seen
    give_points(app, "alpha1", 1234)  # today's movement shows at once, from the live part
    page = hr.get("/insights").get_data(as_text=True)
    assert "1,234" in page


def test_the_euro_rate_is_hrs_setting(app, labelled, client_as):
    hr = client_as("hr", team="Office")
    give_points(app, "alpha0", 250)
    assert hr.post("/insights/rate", data={"euro_cents_per_100_points": "2000"}).status_code == 302
    page = hr.get("/insights").get_data(as_text=True)
    assert "€50.00" in page  # 250 points at €20 per 100 (and the giver holds none)
    response = hr.post("/insights/rate", data={"euro_cents_per_100_points": "2000"})
    assert response.status_code == 302
    assert "Nothing changed" in hr.get("/insights").get_data(as_text=True)
    bad = hr.post("/insights/rate", data={"euro_cents_per_100_points": "-1"})
    assert bad.status_code == 422
    boss = client_as("supervisor", team="Alpha")
    assert boss.post("/insights/rate", data={"euro_cents_per_100_points": "1"}).status_code == 403


def test_saving_the_rate_form_unchanged_changes_nothing(app, labelled, client_as):
    from sqlalchemy import select

    from pojo.extensions import db
    from pojo.people.models import Setting
    from tests.form_helpers import page_forms

    hr = client_as("hr", team="Office")

    def settings():
        with app.app_context():
            return [(s.name, s.value) for s in db.session.scalars(select(Setting))]

    before = settings()
    (form,) = [f for f in page_forms(hr.get("/insights").text) if "/insights/rate" in f["action"]]
    response = hr.post(form["action"], data=dict(form["values"]))
    assert response.status_code == 302
    assert settings() == before
