"""Logging in and out, throttling, sessions that end, CSRF."""

from sqlalchemy import select

from pojo.auth.models import LoginCounter
from pojo.extensions import db
from pojo.people.service import get_employee
from tests.conftest import PASSWORD, csrf_token_from


def test_login_with_right_password_opens_the_app(client, make_employee):
    make_employee("aino")
    response = client.post("/login", data={"username": "aino", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/wallet").status_code == 200


def test_wrong_password_shows_a_message_and_is_counted(app, client, make_employee):
    make_employee("aino")
    response = client.post("/login", data={"username": "aino", "password": "wrong password"})
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/wallet").status_code == 302  # still logged out
    with app.app_context():
        counted = db.session.scalars(select(LoginCounter.failures)).all()
        assert counted == [1, 1, 1]  # the pair, the account and the address


def test_unknown_username_gets_the_same_message(client):
    response = client.post("/login", data={"username": "nobody", "password": "whatever1"})
    assert "Wrong username or password" in response.get_data(as_text=True)


def test_inactive_employee_cannot_log_in(client, make_employee):
    make_employee("gone", active=False)
    response = client.post("/login", data={"username": "gone", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/wallet").status_code == 302


def test_logout_ends_the_session(client, make_employee, login):
    login(client, make_employee())
    assert client.post("/logout").status_code == 302
    assert client.get("/wallet").status_code == 302


def test_next_parameter_cannot_redirect_off_site(client, make_employee):
    make_employee("aino")
    response = client.post(
        "/login?next=https://evil.example/", data={"username": "aino", "password": PASSWORD}
    )
    assert "evil.example" not in response.headers["Location"]


def test_password_change_ends_other_sessions(app, make_employee, login):
    username = make_employee()
    first, second = login(app.test_client(), username), login(app.test_client(), username)
    response = first.post(
        "/settings",
        data={
            "pw-current": PASSWORD,
            "pw-new": "a brand new secret",
            "pw-repeat": "a brand new secret",
        },
    )
    assert response.status_code == 302
    assert first.get("/wallet").status_code == 200
    assert second.get("/wallet").status_code == 302


def test_post_without_csrf_token_is_refused(make_app, databases, backend, make_employee):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        databases[backend].reset()
    client = app.test_client()
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_login_with_csrf_token_from_the_form_works(make_app, databases, backend):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        databases[backend].reset()
        from pojo.people.service import create_employee
        from pojo.unit_of_work import unit_of_work

        with unit_of_work():
            create_employee("aino", role="agent", team_name="Alpha", password=PASSWORD)
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "aino", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_pages_send_security_headers(client):
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _login_through_the_form(client, username):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return token


def _language_of(app, username) -> str:
    with app.app_context():
        return get_employee(username).language


def test_cookie_copied_before_logout_opens_nothing_afterwards(app, make_app, make_employee):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    username = make_employee(language="en")
    client = csrf_app.test_client()
    _login_through_the_form(client, username)
    token = csrf_token_from(client.get("/settings").get_data(as_text=True))
    copied = client.get_cookie("session", domain="pojo.test").value
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302

    thief = csrf_app.test_client()
    thief.set_cookie("session", copied, domain="pojo.test")
    response = thief.get("/wallet")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = thief.post("/settings", data={"csrf_token": token, "lang-language": "fi"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _language_of(app, username) == "en"


def test_logout_ends_only_that_session(app, make_employee, login):
    username = make_employee()
    phone, desktop = login(app.test_client(), username), login(app.test_client(), username)
    phone.post("/logout")
    assert phone.get("/wallet").status_code == 302
    assert desktop.get("/wallet").status_code == 200


def test_login_issues_a_new_csrf_token(app, make_app, make_employee):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    username = make_employee(language="en")
    client = csrf_app.test_client()
    before_login = _login_through_the_form(client, username)
    response = client.post("/settings", data={"csrf_token": before_login, "lang-language": "fi"})
    assert response.status_code == 400
    assert _language_of(app, username) == "en"
    token = csrf_token_from(client.get("/settings").get_data(as_text=True))
    response = client.post("/settings", data={"csrf_token": token, "lang-language": "fi"})
    assert response.status_code == 302
    assert _language_of(app, username) == "fi"


def test_language_confirmation_is_shown_in_the_new_language(client, make_employee, login):
    login(client, make_employee(language="en"))
    page = client.post("/settings", data={"lang-language": "fi"}, follow_redirects=True)
    assert "Kieli tallennettu." in page.get_data(as_text=True)
    page = client.post("/settings", data={"lang-language": "en"}, follow_redirects=True)
    assert "Language saved." in page.get_data(as_text=True)
