"""Who may change whose credentials, and what deactivation ends for good."""

import pytest
from werkzeug.datastructures import MultiDict

from pojo.api.tokens import create_token
from pojo.errors import Forbidden
from pojo.people.service import find_employee, update_employee
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD
from tests.form_helpers import form_values

NEW_PASSWORD = "taken over 123"


def edit_form(client, username) -> MultiDict:
    page = client.get(f"/people/{username}/edit")
    assert page.status_code == 200
    return MultiDict(form_values(page.get_data(as_text=True)))


def can_log_in(app, username, password) -> bool:
    response = app.test_client().post("/login", data={"username": username, "password": password})
    return response.status_code == 302


def test_hr_cannot_set_another_hr_users_password(app, client_as, make_employee):
    colleague = make_employee("other.hr", role="hr", team="Office")
    hr = client_as("hr", team="Office")
    data = edit_form(hr, colleague)
    assert "password" not in data and "role" not in data
    data["password"] = NEW_PASSWORD
    hr.post(f"/people/{colleague}/edit", data=data)
    assert not can_log_in(app, colleague, NEW_PASSWORD)
    assert can_log_in(app, colleague, PASSWORD)


@pytest.mark.parametrize(
    "change", [{"role": "agent"}, {"active": ""}, {"role": "admin"}, {"password": NEW_PASSWORD}]
)
def test_hr_cannot_change_an_hr_accounts_access_by_a_crafted_post(
    app, client_as, make_employee, change
):
    colleague = make_employee("other.hr", role="hr", team="Office")
    hr = client_as("hr", team="Office")
    data = edit_form(hr, colleague)
    for name, value in ({"role": "hr", "active": "y"} | change).items():
        data[name] = value  # replaces; MultiDict.update would add a second value
    hr.post(f"/people/{colleague}/edit", data=data)
    with app.app_context():
        employee = find_employee(colleague)
        assert (employee.role, employee.active, employee.session_version) == ("hr", True, 1)


def test_the_service_refuses_hr_changing_an_hr_accounts_credentials(app, make_employee):
    hr = make_employee("hr.one", role="hr", team="Office")
    colleague = make_employee("hr.two", role="hr", team="Office")
    with app.app_context():
        actor, target = find_employee(hr), find_employee(colleague)
        details = {
            "display_name": target.display_name,
            "email": None,
            "team_id": target.team_id,
            "employment_type": "permanent",
            "agency_name": None,
            "contract_end": None,
            "language": "en",
        }
        for change in ({"new_password": NEW_PASSWORD}, {"role": "agent"}, {"active": False}):
            with pytest.raises(Forbidden):
                update_employee(actor, colleague, **details, **change)


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_cannot_make_anyone_hr_or_admin(app, client_as, make_employee, role):
    agent = make_employee("plain.agent", team="Alpha")
    hr = client_as("hr", team="Office")
    data = edit_form(hr, agent)
    data["role"] = role
    data["password"] = NEW_PASSWORD
    assert hr.post(f"/people/{agent}/edit", data=data).status_code == 422
    with app.app_context():
        assert find_employee(agent).role == "agent"
    assert not can_log_in(app, agent, NEW_PASSWORD)


def test_hr_still_resets_an_agents_password(app, client_as, make_employee):
    agent = make_employee("plain.agent", team="Alpha")
    hr = client_as("hr", team="Office")
    data = edit_form(hr, agent)
    data["password"] = NEW_PASSWORD
    assert hr.post(f"/people/{agent}/edit", data=data).status_code == 302
    assert can_log_in(app, agent, NEW_PASSWORD)


def test_admin_sets_an_hr_users_password(app, client_as, make_employee):
    colleague = make_employee("other.hr", role="hr", team="Office")
    admin = client_as("admin", team="Office")
    data = edit_form(admin, colleague)
    data["password"] = NEW_PASSWORD
    assert admin.post(f"/people/{colleague}/edit", data=data).status_code == 302
    assert can_log_in(app, colleague, NEW_PASSWORD)


def test_hr_cannot_open_an_admins_edit_form(client_as, make_employee):
    admin = make_employee("the.admin", role="admin", team="Office")
    assert client_as("hr", team="Office").get(f"/people/{admin}/edit").status_code == 403


def test_reactivating_an_employee_does_not_revive_their_api_tokens(app, client_as, make_employee):
    agent = make_employee("leaving", team="Alpha")
    with app.app_context(), unit_of_work():
        _token, plain = create_token(agent)
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
    assert api.get("/api/v1/me").status_code == 200
    hr = client_as("hr", team="Office")
    url = f"/people/{agent}/edit"
    data = edit_form(hr, agent)
    data.pop("active", None)
    assert hr.post(url, data=data).status_code == 302
    assert api.get("/api/v1/me").status_code == 401
    data["active"] = "y"
    assert hr.post(url, data=data).status_code == 302
    with app.app_context():
        assert find_employee(agent).active
    assert api.get("/api/v1/me").status_code == 401


def test_deactivation_ends_sessions_and_reactivation_does_not_restore_them(
    app, client_as, make_employee, login
):
    agent = make_employee("leaving", team="Alpha")
    browser = login(app.test_client(), agent)
    hr = client_as("hr", team="Office")
    data = edit_form(hr, agent)
    data.pop("active", None)
    hr.post(f"/people/{agent}/edit", data=data)
    data["active"] = "y"
    hr.post(f"/people/{agent}/edit", data=data)
    assert browser.get("/wallet").status_code == 302
    assert can_log_in(app, agent, PASSWORD)
