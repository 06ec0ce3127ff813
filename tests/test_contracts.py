"""Temps' contracts: reminders before the end, deactivation the day after, HR's extensions."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pojo.api.models import ApiToken
from pojo.api.tokens import create_token
from pojo.auth.models import UserSession
from pojo.database import utcnow
from pojo.extensions import db
from pojo.jobs.registry import run_job
from pojo.ledger import service as ledger
from pojo.ledger.models import LedgerEntry
from pojo.ledger.verify import run_checks
from pojo.notifications.models import Notification
from pojo.notifications.service import render_message
from pojo.people.service import find_employee
from pojo.rows import local_date
from pojo.unit_of_work import unit_of_work
from tests.conftest import csrf_token_from
from tests.market_helpers import give_points

NOW = utcnow()


def today(app):
    with app.app_context():
        return local_date(NOW)


@pytest.fixture
def temp(app, make_employee):
    """A temp whose contract ends in `days` days, with `points` points."""

    def factory(days, points=0, language="en", username=None):
        end = today(app) + timedelta(days=days)
        username = make_employee(username, temp=True, contract_end=end, language=language)
        if points:
            give_points(app, username, points)
        return username

    return factory


def run(app, name, at=NOW):
    with app.app_context():
        return run_job(name, now=at)


def notices_of(app, username):
    with app.app_context():
        employee = find_employee(username)
        rows = db.session.scalars(
            select(Notification).where(Notification.employee_id == employee.id)
        ).all()
        return [render_message(row, employee.language) for row in rows]


def set_unspent_points(app, value):
    from pojo.people.models import Setting

    with app.app_context(), unit_of_work():
        db.session.merge(Setting(name="unspent_points", value=value))


def test_both_contract_jobs_are_listed(runner):
    listed = runner.invoke(args=["jobs", "list"]).output
    assert "contract_reminders" in listed and "contract_end" in listed


def test_a_temp_is_reminded_14_and_3_days_before_the_end_once_each(app, temp):
    username = temp(14, points=120)
    assert run(app, "contract_reminders") == "1 contract reminders sent"
    assert run(app, "contract_reminders") == "0 contract reminders sent"
    # Days 13 to 4: nothing new.
    for day in range(1, 11):
        run(app, "contract_reminders", NOW + timedelta(days=day))
    messages = notices_of(app, username)
    assert len(messages) == 1
    assert "in 14 days" in messages[0] and "120" in messages[0]
    assert "redeem them or set a goal" in messages[0]
    run(app, "contract_reminders", NOW + timedelta(days=11))
    run(app, "contract_reminders", NOW + timedelta(days=11))
    run(app, "contract_reminders", NOW + timedelta(days=12))
    messages = notices_of(app, username)
    assert len(messages) == 2 and "in 3 days" in messages[1]


def test_the_reminder_is_in_the_temps_language(app, temp):
    username = temp(3, points=5, language="fi")
    run(app, "contract_reminders")
    (message,) = notices_of(app, username)
    assert "Sopimuksesi päättyy" in message and "3 päivän" in message


def test_the_job_deactivates_the_day_after_the_end_and_ends_sessions_and_tokens(app, temp, login):
    username = temp(0, points=50)
    browser = login(app.test_client(), username)
    with app.app_context(), unit_of_work():
        _token, plain = create_token(username)
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
    assert api.get("/api/v1/me").status_code == 200

    assert run(app, "contract_end") == "0 ended contracts deactivated"  # the last day still
    assert browser.get("/wallet").status_code == 200

    assert run(app, "contract_end", NOW + timedelta(days=1)) == "1 ended contracts deactivated"
    response = browser.get("/wallet")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert api.get("/api/v1/me").status_code == 401
    with app.app_context():
        employee = find_employee(username)
        assert not employee.active
        sessions = db.session.scalars(
            select(UserSession).where(UserSession.employee_id == employee.id)
        ).all()
        assert sessions and all(session.ended_at is not None for session in sessions)
        tokens = db.session.scalars(select(ApiToken).where(ApiToken.employee_id == employee.id))
        assert all(token.revoked_at is not None for token in tokens)
        assert ledger.balance_of(employee.id) == 50  # the default: kept

    assert run(app, "contract_end", NOW + timedelta(days=1)) == "0 ended contracts deactivated"
    assert run(app, "contract_end", NOW + timedelta(days=2)) == "0 ended contracts deactivated"


def test_expire_writes_a_ledger_entry_with_the_reason(app, temp):
    set_unspent_points(app, "expire")
    username = temp(-1, points=340)
    run(app, "contract_end")
    run(app, "contract_end")
    with app.app_context():
        employee = find_employee(username)
        entries = db.session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.employee_id == employee.id, LedgerEntry.kind == "expiry"
            )
        ).all()
        assert [entry.points for entry in entries] == [-340]
        assert "Contract ended on" in entries[0].note and "expire" in entries[0].note
        assert ledger.balance_of(employee.id) == 0
        assert not any(result.violations for result in run_checks())


def test_keep_leaves_the_balance_and_reactivation_restores_it(app, temp, client_as):
    username = temp(-1, points=90)
    run(app, "contract_end")
    hr = client_as("hr", team="Office")
    page = hr.get("/people/contracts").get_data(as_text=True)
    assert "90 points kept" in page
    new_end = today(app) + timedelta(days=60)
    response = hr.post(
        f"/people/contracts/{username}/extend", data={f"{username}-contract_end": new_end}
    )
    assert response.status_code == 302
    with app.app_context():
        employee = find_employee(username)
        assert employee.active and employee.contract_end == new_end
        assert ledger.balance_of(employee.id) == 90


def test_extending_before_the_end_cancels_the_deactivation(app, temp, client_as):
    username = temp(2, points=10)
    hr = client_as("hr", team="Office")
    new_end = today(app) + timedelta(days=40)
    page = hr.get("/people/contracts").get_data(as_text=True)
    assert username.title() in page and "Ends on" in page
    hr.post(f"/people/contracts/{username}/extend", data={f"{username}-contract_end": new_end})
    assert run(app, "contract_end", NOW + timedelta(days=3)) == "0 ended contracts deactivated"
    with app.app_context():
        assert find_employee(username).active


def test_extension_dates_are_bounded_and_unchanged_saves_change_nothing(app, temp, client_as):
    username = temp(5)
    hr = client_as("hr", team="Office")
    for bad in (today(app) - timedelta(days=1), today(app) + timedelta(days=5000)):
        response = hr.post(
            f"/people/contracts/{username}/extend", data={f"{username}-contract_end": bad}
        )
        assert response.status_code == 422
        assert "Choose a date from" in response.get_data(as_text=True)
    same = today(app) + timedelta(days=5)
    response = hr.post(
        f"/people/contracts/{username}/extend",
        data={f"{username}-contract_end": same},
        follow_redirects=True,
    )
    assert "Nothing changed." in response.get_data(as_text=True)
    with app.app_context():
        assert find_employee(username).contract_end == same


def test_the_contracts_page_is_hrs_and_its_forms_need_csrf(make_app, app, temp, client_as):
    temp(10)
    agent = client_as("agent")
    assert agent.get("/people/contracts").status_code == 403
    supervisor = client_as("supervisor")
    assert supervisor.get("/people/contracts").status_code == 403
    strict = make_app(WTF_CSRF_ENABLED=True)
    hr_name = client_as("hr", team="Office").username
    client = strict.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={
            "username": hr_name,
            "password": "correct horse 1",
            "csrf_token": csrf_token_from(page),
        },
    )
    response = client.post("/people/contracts/settings", data={"unspent_points": "expire"})
    assert response.status_code in (400, 422)
    with app.app_context():
        from pojo.people.settings import get_setting

        assert get_setting("unspent_points") == "keep"


def test_hr_chooses_what_happens_to_unspent_points(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/people/contracts/settings", data={"unspent_points": "expire"}, follow_redirects=True
    )
    assert "Saved." in response.get_data(as_text=True)
    response = hr.post(
        "/people/contracts/settings", data={"unspent_points": "expire"}, follow_redirects=True
    )
    assert "Nothing changed." in response.get_data(as_text=True)
    assert hr.post("/people/contracts/settings", data={"unspent_points": "burn"}).status_code == 422


def test_people_list_filters_temps_by_agency_and_contract_end(app, make_employee, client_as):
    soon = today(app) + timedelta(days=7)
    later = today(app) + timedelta(days=90)
    make_employee("temp.soon", temp=True, contract_end=soon)
    make_employee("temp.later", temp=True, contract_end=later)
    make_employee("temp.other", temp=True, contract_end=soon)
    with app.app_context(), unit_of_work():
        find_employee("temp.other").agency_name = "Barona"
    make_employee("perm.anent")
    hr = client_as("hr", team="Office")
    page = hr.get(f"/people?ends_by={soon + timedelta(days=1)}").get_data(as_text=True)
    assert "@temp.soon" in page and "@temp.other" in page
    assert "@temp.later" not in page and "@perm.anent" not in page
    page = hr.get("/people?agency=Barona").get_data(as_text=True)
    assert "@temp.other" in page and "@temp.soon" not in page
    page = hr.get("/people?employment=permanent").get_data(as_text=True)
    assert "@perm.anent" in page and "@temp.soon" not in page
    # A date that is not one is refused with a message under the field, not ignored.
    refused = hr.get("/people?ends_by=not-a-date")
    assert refused.status_code == 400
    assert "Correct the search above to see the list." in refused.get_data(as_text=True)


def test_deactivation_and_its_effects_commit_or_roll_back_together(app, temp, login):
    from pojo.signals import employee_deactivated

    username = temp(-1)
    browser = login(app.test_client(), username)
    with app.app_context(), unit_of_work():
        create_token(username)

    def hand_back_fails(_sender, **_payload):
        raise RuntimeError("a later receiver failed")

    employee_deactivated.connect(hand_back_fails, sender=app)
    try:
        with pytest.raises(RuntimeError):
            run(app, "contract_end")
    finally:
        employee_deactivated.disconnect(hand_back_fails, sender=app)
    assert browser.get("/wallet").status_code == 200
    with app.app_context():
        employee = find_employee(username)
        assert employee.active
        assert db.session.scalars(
            select(ApiToken.revoked_at).where(ApiToken.employee_id == employee.id)
        ).all() == [None]
    assert run(app, "contract_end") == "1 ended contracts deactivated"


def test_a_temp_hr_reactivated_without_extending_is_not_ended_again(app, temp):
    set_unspent_points(app, "expire")
    username = temp(-1, points=40)
    assert run(app, "contract_end") == "1 ended contracts deactivated"
    with app.app_context(), unit_of_work():
        find_employee(username).active = True  # HR's own decision on the edit page
    give_points(app, username, 25)
    assert run(app, "contract_end", NOW + timedelta(days=1)) == "0 ended contracts deactivated"
    with app.app_context():
        employee = find_employee(username)
        assert employee.active and ledger.balance_of(employee.id) == 25
