"""Every edit form saved exactly as it is shown changes nothing, and a form
missing a field is refused with a message rather than a server error."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from pojo.awards.models import Criterion
from pojo.extensions import db
from pojo.market.models import Reward
from pojo.outcomes.models import OutcomeRule
from pojo.people.models import Employee, Team
from pojo.people.service import find_employee
from tests.form_helpers import assert_saving_unchanged_changes_nothing, form_values, page_forms
from tests.market_helpers import add_reward


def _row(instance) -> dict:
    return {column.key: getattr(instance, column.key) for column in instance.__mapper__.columns}


def people_snapshot(app, username: str):
    """The employee's row, their team, the teams they supervise and every team there is."""

    def snapshot():
        with app.app_context():
            employee = find_employee(username)
            return (
                _row(employee),
                employee.team.name if employee.team else None,
                sorted(team.name for team in employee.supervised_teams),
                sorted(
                    (team.name, [m.username for m in team.members])
                    for team in db.session.scalars(select(Team))
                ),
                db.session.scalar(select(func.count()).select_from(Team)),
            )

    return snapshot


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        ("agent", {}),
        ("agent", {"temp": True, "email": "t@example.com"}),
        ("supervisor", {}),
        ("hr", {}),
    ],
)
def test_saving_an_employee_unchanged_changes_nothing(app, client_as, make_employee, role, extra):
    username = make_employee("charlie.member", role=role, team="Charlie", **extra)
    admin = client_as("admin", team="Office")
    assert_saving_unchanged_changes_nothing(
        admin, f"/people/{username}/edit", people_snapshot(app, username)
    )


def test_hr_saving_an_employee_unchanged_changes_nothing(app, client_as, make_employee):
    username = make_employee("charlie.member", team="Charlie", temp=True)
    hr = client_as("hr", team="Office")
    assert_saving_unchanged_changes_nothing(
        hr, f"/people/{username}/edit", people_snapshot(app, username)
    )


def test_hr_saving_another_hr_account_unchanged_changes_nothing(app, client_as, make_employee):
    username = make_employee("other.hr", role="hr", team="Office")
    hr = client_as("hr", team="Office")
    assert_saving_unchanged_changes_nothing(
        hr, f"/people/{username}/edit", people_snapshot(app, username)
    )


def test_saving_a_supervisor_of_another_team_unchanged_keeps_their_teams(
    app, client_as, make_employee
):
    username = make_employee("sup", role="supervisor", team="Charlie")
    with app.app_context():
        employee = find_employee(username)
        employee.supervised_teams = [db.session.scalar(select(Team).filter_by(name="Charlie"))]
        employee.supervised_teams.append(Team(name="Delta"))
        employee.team = Team(name="Echo")
        db.session.commit()
    admin = client_as("admin", team="Office")
    assert_saving_unchanged_changes_nothing(
        admin, f"/people/{username}/edit", people_snapshot(app, username)
    )


def test_the_edit_form_offers_the_existing_teams_and_shows_the_current_one(
    client_as, make_employee
):
    username = make_employee("charlie.member", team="Charlie")
    make_employee(team="Bravo")
    page = client_as("hr", team="Office").get(f"/people/{username}/edit").get_data(as_text=True)
    assert "&lt;Team" not in page and "<Team" not in page
    sent = dict(form_values(page))
    options = page.split('name="team"', 1)[1].split("</select>", 1)[0]
    assert "Bravo" in options and "Office" in options
    assert sent["team"] != "" and "Charlie" in options.split(f'value="{sent["team"]}"')[1][:80]


def test_an_edit_post_without_a_field_is_a_form_error_not_a_500(app, client_as, make_employee):
    username = make_employee("charlie.member", team="Charlie")
    hr = client_as("hr", team="Office")
    url = f"/people/{username}/edit"
    full = form_values(hr.get(url).get_data(as_text=True))
    before = people_snapshot(app, username)()
    for missing in {name for name, _ in full} - {"csrf_token", "active", "password"}:
        response = hr.post(url, data=MultiDict([(n, v) for n, v in full if n != missing]))
        assert response.status_code == 422, (missing, response.status_code)
        assert 'class="field-error"' in response.get_data(as_text=True) or (
            "alert-error" in response.get_data(as_text=True)
        ), missing
    assert people_snapshot(app, username)() == before


def test_a_new_employee_post_without_a_team_is_a_form_error(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/people/new",
        data={
            "username": "new.person",
            "display_name": "New Person",
            "email": "",
            "role": "agent",
            "employment_type": "permanent",
            "agency_name": "",
            "contract_end": "",
            "language": "fi",
            "password": "first password",
        },
    )
    assert response.status_code == 422
    with app.app_context():
        assert find_employee("new.person") is None


def test_a_team_name_typed_into_the_team_field_creates_no_team(app, client_as, make_employee):
    username = make_employee("charlie.member", team="Charlie")
    hr = client_as("hr", team="Office")
    url = f"/people/{username}/edit"
    data = dict(form_values(hr.get(url).get_data(as_text=True)))
    response = hr.post(url, data=data | {"team": "<Team Charlie>"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Team).where(Team.name == "<Team Charlie>")) is None
        assert find_employee(username).team.name == "Charlie"


def test_hr_creates_a_team_on_the_teams_page(app, client_as):
    hr = client_as("hr", team="Office")
    assert hr.post("/teams/new", data={"name": "Foxtrot"}).status_code == 302
    assert hr.post("/teams/new", data={"name": "foxtrot"}).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(func.lower(Team.name) == "foxtrot")) == 1
        )
    assert "Foxtrot" in hr.get("/teams").get_data(as_text=True)
    assert client_as("supervisor").post("/teams/new", data={"name": "Golf"}).status_code == 403


def test_saving_a_team_budget_unchanged_changes_nothing(app, client_as, make_employee):
    make_employee(team="Charlie")
    hr = client_as("hr", team="Office")
    with app.app_context():
        charlie = db.session.scalar(select(Team).filter_by(name="Charlie"))
        charlie.monthly_award_budget = 1200
        db.session.commit()
        team_id = charlie.id
    page = hr.get("/teams").get_data(as_text=True)
    posts = [form for form in page_forms(page) if form["method"] == "post"]
    (index,) = [i for i, form in enumerate(posts) if form["action"] == f"/teams/{team_id}/budget"]

    def snapshot():
        with app.app_context():
            return [_row(team) for team in db.session.scalars(select(Team).order_by(Team.id))]

    before = snapshot()
    data = dict(form_values(page, index))
    assert hr.post(f"/teams/{team_id}/budget", data=data).status_code == 302
    assert snapshot() == before


# The same pitfall, checked in every other edit form of the app.


def test_saving_a_criterion_unchanged_changes_nothing(app, client_as):
    admin = client_as("admin", team="Office")

    def snapshot():
        with app.app_context():
            return [_row(c) for c in db.session.scalars(select(Criterion).order_by(Criterion.id))]

    assert_saving_unchanged_changes_nothing(admin, "/criteria/fcr/edit", snapshot)


def test_saving_an_outcome_rule_unchanged_changes_nothing(app, client_as):
    hr = client_as("hr", team="Office")
    with app.app_context():
        rule_id = db.session.scalar(select(func.min(OutcomeRule.id)))

    def snapshot():
        with app.app_context():
            return [
                _row(r) for r in db.session.scalars(select(OutcomeRule).order_by(OutcomeRule.id))
            ]

    assert_saving_unchanged_changes_nothing(hr, f"/outcomes/rules/{rule_id}/edit", snapshot)


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"stock": 5, "per_person_limit": 2, "limit_period": "month"},
        {"tax_treatment": "tax_free", "income_type_code": "5090", "value_cents": 1205},
        {"value_cents": 0},
    ],
)
def test_saving_a_reward_unchanged_changes_nothing(app, client_as, fields):
    hr = client_as("hr", team="Office")
    reward_id = add_reward(app, **fields)

    def snapshot():
        with app.app_context():
            row = _row(db.session.get(Reward, reward_id))
            return row

    assert_saving_unchanged_changes_nothing(hr, f"/market/admin/rewards/{reward_id}/edit", snapshot)


def test_no_employee_row_changes_when_hr_saves_every_person_unchanged(
    app, client_as, make_employee
):
    for role in ("agent", "supervisor"):
        make_employee(role=role, team="Charlie")
    hr = client_as("hr", team="Office")
    with app.app_context():
        usernames = [e.username for e in db.session.scalars(select(Employee)) if e.role != "admin"]
    for username in usernames:
        assert_saving_unchanged_changes_nothing(
            hr, f"/people/{username}/edit", people_snapshot(app, username)
        )


def test_saving_a_reward_unchanged_in_finnish_keeps_its_value(app, client_as):
    hr = client_as("hr", team="Office", language="fi")
    reward_id = add_reward(app, value_cents=1250, income_type_code="5010")
    url = f"/market/admin/rewards/{reward_id}/edit"
    assert 'value="12,50"' in hr.get(url).get_data(as_text=True)

    def snapshot():
        with app.app_context():
            return _row(db.session.get(Reward, reward_id))

    assert_saving_unchanged_changes_nothing(hr, url, snapshot)
