"""Each person chooses which notices reach them by e-mail, on their settings page: the choice
is kept, honoured, safe to save unchanged, and part of their personal data download."""

import pytest
from sqlalchemy import func, select

from pojo.extensions import db
from pojo.mail.models import MailOptOut
from tests.form_helpers import assert_saving_unchanged_changes_nothing, form_values
from tests.smtp_server import mail_config
from tests.test_mail import NOTE, _award, _outbox, _run_send_job, _team


@pytest.fixture
def app_overrides(smtp_server):
    return mail_config(smtp_server)


def test_someone_who_turned_awards_off_gets_no_award_mail(
    app, client_as, make_employee, login, smtp_server
):
    supervisor, agent = _team(app, client_as, make_employee)
    choice = {f"mail-{name}": "y" for name in ("redemptions", "swaps", "contract", "approvals")}
    response = login(app.test_client(), agent).post(
        "/settings/email", data={"mail-shown": "1", **choice}
    )
    assert response.status_code == 302
    _award(supervisor, agent)
    _run_send_job(app)
    assert smtp_server.messages == []
    assert _outbox(app) == []
    with app.app_context():  # still in the bell
        from pojo.notifications.models import Notification

        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_the_settings_page_shows_the_choice_and_saving_it_unchanged_changes_nothing(
    app, client_as, make_employee
):
    agent = client_as("agent", team="Alpha", email="tiina@example.com")
    page = agent.get("/settings").get_data(as_text=True)
    assert "E-mail notices" in page and 'action="/settings/email"' in page
    assert page.count('type="checkbox"') == 5 and page.count("checked") == 5  # all on
    bell = agent.get("/notifications").get_data(as_text=True)
    assert 'href="/settings#email"' in bell  # found from the bell's list too
    agent.post("/settings/email", data={"mail-shown": "1", "mail-swaps": "y"})

    def opt_outs():
        with app.app_context():
            return sorted(db.session.execute(select(MailOptOut.employee_id, MailOptOut.category)))

    assert [category for _id, category in opt_outs()] == [
        "approvals",
        "awards",
        "contract",
        "redemptions",
    ]
    assert_saving_unchanged_changes_nothing(agent, "/settings/email", opt_outs)


def test_a_choice_post_without_its_form_is_refused_and_the_form_shown_again_works(app, client_as):
    agent = client_as("agent", team="Alpha")
    assert agent.post("/settings/email", data={}).status_code == 422
    # Pojo refuses a NUL anywhere with a 400 before any view; 100 KB of anything else is a form error.
    assert agent.post("/settings/email", data={"mail-shown": "\0" * 100}).status_code == 400
    refused = agent.post("/settings/email", data={"mail-shown": "x" * 100_000})
    assert refused.status_code == 422
    assert "E-mail notices" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MailOptOut)) == 0
    # The form shown again can be sent as it is (no box ticked: all five off).
    again = dict(form_values(refused.get_data(as_text=True)))
    assert again == {"mail-shown": "1"}
    assert agent.post("/settings/email", data=again).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MailOptOut)) == 5


def test_the_personal_data_download_has_the_mail_choice_and_mails(
    app, client_as, make_employee, login
):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    mine = login(app.test_client(), agent).get("/settings/my-data.json").get_json()
    assert mine["mail_preferences"] == {
        "awards": True,
        "redemptions": True,
        "swaps": True,
        "contract": True,
        "approvals": True,
    }
    [mail] = mine["mail_outbox"]
    assert mail["to"] == "aino@example.com" and mail["status"] == "queued"
    assert NOTE in mail["body"]


def test_the_choice_form_needs_its_csrf_token(make_app, make_employee, app):
    from tests.conftest import PASSWORD, csrf_token_from

    protected = make_app(WTF_CSRF_ENABLED=True, **mail_config_of(app))
    agent = make_employee("aino", team="Alpha", email="aino@example.com")
    client = protected.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": token, "username": agent, "password": PASSWORD})
    # Flask-WTF's CSRFProtect refuses it before the view, as every form of Pojo's.
    assert client.post("/settings/email", data={"mail-shown": "1"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MailOptOut)) == 0
    token = csrf_token_from(client.get("/settings").get_data(as_text=True))
    saved = client.post("/settings/email", data={"csrf_token": token, "mail-shown": "1"})
    assert saved.status_code == 302
    with app.app_context():  # every box unticked: all five off
        assert db.session.scalar(select(func.count()).select_from(MailOptOut)) == 5


def mail_config_of(app) -> dict:
    return {name: app.config[name] for name in ("MAIL_SERVER", "MAIL_PORT")}
