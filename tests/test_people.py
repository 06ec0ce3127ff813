"""HR and admin manage people and budgets; deactivation ends sessions at once."""

from sqlalchemy import select

from pojo.extensions import db
from pojo.people.models import Team
from pojo.people.service import find_employee

EMPLOYEE = {
    "username": "uusi.agentti",
    "display_name": "Uusi Agentti",
    "email": "",
    "role": "agent",
    "employment_type": "temp",
    "agency_name": "Staffpoint",
    "contract_end": "2027-03-31",
    "language": "fi",
    "password": "first password",
    "active": "y",
}


def team_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.name == name))


def test_hr_adds_a_temp_who_can_then_log_in(app, client_as, login):
    hr = client_as("hr", team="Office")
    data = EMPLOYEE | {"team": team_id(app, "Office")}
    assert hr.post("/people/new", data=data).status_code == 302
    with app.app_context():
        assert find_employee("uusi.agentti").agency_name == "Staffpoint"
    login(app.test_client(), "uusi.agentti", "first password")


def test_hr_cannot_create_an_admin(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/people/new", data=EMPLOYEE | {"role": "admin", "team": team_id(app, "Office")}
    )
    assert response.status_code == 422
    with app.app_context():
        assert find_employee("uusi.agentti") is None


def test_deactivation_ends_the_employees_session(app, client_as, make_employee, login):
    username = make_employee("leaving", team="Alpha")
    agent = login(app.test_client(), username)
    hr = client_as("hr", team="Office")
    data = EMPLOYEE | {
        "team": team_id(app, "Alpha"),
        "employment_type": "permanent",
        "agency_name": "",
        "contract_end": "",
        "password": "",
        "active": "",
    }
    assert hr.post(f"/people/{username}/edit", data=data).status_code == 302
    assert agent.get("/wallet").status_code == 302


def test_team_budget_can_be_set_by_hr_and_not_by_supervisor(app, client_as):
    supervisor = client_as("supervisor", team="Alpha")
    hr = client_as("hr", team="Office")
    with app.app_context():
        team_id = find_employee(supervisor.username).team_id
    assert (
        supervisor.post(f"/teams/{team_id}/budget", data={f"t{team_id}-budget": "10"}).status_code
        == 403
    )
    assert (
        hr.post(f"/teams/{team_id}/budget", data={f"t{team_id}-budget": "1500"}).status_code == 302
    )
    with app.app_context():
        assert (
            db.session.get(
                type(find_employee(supervisor.username).team), team_id
            ).monthly_award_budget
            == 1500
        )
    assert "1,500" in supervisor.get("/teams").get_data(as_text=True)


def test_supervisor_sees_only_their_team_on_people_page(client_as, make_employee):
    make_employee("mine", team="Alpha", display_name="Mine Member")
    make_employee("theirs", team="Beta", display_name="Their Member")
    page = client_as("supervisor", team="Alpha").get("/people").get_data(as_text=True)
    assert "Mine Member" in page and "Their Member" not in page
