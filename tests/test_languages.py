"""The header's language switch for everyone, and dates and numbers written for the locale."""

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_babel import force_locale

from pojo.extensions import db
from pojo.formatting import format_date, format_datetime
from pojo.people.service import find_employee
from tests.conftest import PASSWORD, csrf_token_from
from tests.market_helpers import give_points

NBSP = "\u00a0"


def _language_of(app, username: str) -> str:
    with app.app_context():
        language = find_employee(username).language
        db.session.remove()
        return language


def _switch_target(page: str) -> tuple[str, str]:
    """Where the header's language form posts, and the page it comes back to."""
    action = html.unescape(
        re.search(r'<form method="post" action="([^"]+)" class="lang-switch"', page)[1]
    )
    parts = urlsplit(action)
    return parts.path, parse_qs(parts.query)["next"][0]


# The switch ----------------------------------------------------------------------------


def test_a_visitor_switches_the_login_page_to_finnish_with_a_cookie(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Suomeksi" in page and _switch_target(page) == ("/language/fi", "/login")
    response = client.post("/language/fi?next=/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    finnish = client.get("/login").get_data(as_text=True)
    assert '<html lang="fi">' in finnish and "Kirjaudu" in finnish
    assert "In English" in finnish  # and the way back, named in English


def test_a_logged_in_switch_saves_the_setting_and_returns_to_the_page(
    app, client, make_employee, login
):
    username = make_employee(language="en")
    login(client, username)
    wallet = client.get("/wallet?page=1").get_data(as_text=True)
    assert _switch_target(wallet) == ("/language/fi", "/wallet?page=1")
    response = client.post("/language/fi", query_string={"next": "/wallet?page=1"})
    assert response.headers["Location"] == "/wallet?page=1"
    assert _language_of(app, username) == "fi"
    assert "Saldosi" in client.get("/wallet").get_data(as_text=True)

    # The setting, not the cookie, follows the person: a fresh browser logs in in Finnish.
    client.post("/logout")
    other = login(app.test_client(), username)
    assert "Saldosi" in other.get("/wallet").get_data(as_text=True)


def test_the_setting_outranks_an_old_cookie_after_logging_in_again(
    app, client, make_employee, login
):
    username = make_employee(language="fi")
    client.post("/language/en", data={"next": "/login"})  # chosen before logging in
    login(client, username)
    assert "Saldosi" in client.get("/wallet").get_data(as_text=True)
    client.post("/language/en", data={"next": "/wallet"})
    client.post("/logout")
    login(client, username)
    assert "Your balance" in client.get("/wallet").get_data(as_text=True)
    assert _language_of(app, username) == "en"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        "wallet",
        "/" + "a" * 100_000,
    ],
)
def test_the_switch_never_leaves_the_site(client, target):
    response = client.post("/language/fi", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(app, client, make_employee, login):
    username = make_employee(language="en")
    login(client, username)
    for code in ("sv", "", "x" * 1000, "2147483648"):
        response = client.post(f"/language/{code}", data={"next": "/wallet"})
        assert response.status_code in (302, 404, 405)
        assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert _language_of(app, username) == "en"


def test_the_switch_without_a_csrf_token_is_refused(make_app, databases, backend, make_employee):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        databases[backend].reset()
    username = make_employee(language="en")
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    refused = client.post("/language/fi", data={"next": "/wallet"})
    assert refused.status_code == 400
    assert "lang=" not in refused.headers.get("Set-Cookie", "")
    assert _language_of(app, username) == "en"

    token = csrf_token_from(client.get("/wallet").get_data(as_text=True))
    accepted = client.post("/language/fi", data={"next": "/wallet", "csrf_token": token})
    assert accepted.status_code == 302
    assert _language_of(app, username) == "fi"


# Dates and numbers ------------------------------------------------------------------------


def test_english_dates_put_the_day_first_and_finnish_dates_use_dots(app):
    christmas_eve = date(2026, 12, 24)
    with app.test_request_context():
        with force_locale("en"):
            assert format_date(christmas_eve) == "24 Dec 2026"
            assert format_date(christmas_eve, "short") == "24/12/2026"
            assert format_date(christmas_eve, "MMM yyyy") == "Dec 2026"
        with force_locale("fi"):
            assert format_date(christmas_eve) == "24.12.2026"
            assert format_date(christmas_eve, "short") == "24.12.2026"


def test_english_moments_are_day_first_on_a_24_hour_clock(app):
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 24, 12, 30, tzinfo=UTC)  # 14.30 in Helsinki
    with app.test_request_context():
        with force_locale("en"):
            assert format_datetime(moment, "short") == "24/12/2026, 14:30"
        with force_locale("fi"):
            assert format_datetime(moment, "short") == "24.12.2026 14.30"


@pytest.mark.parametrize(
    ("language", "points", "day"),
    [("fi", f"1{NBSP}250", "24.12.2026"), ("en", "1,250", "24 Dec 2026")],
)
def test_pages_write_numbers_and_dates_for_the_locale(app, client_as, language, points, day):
    client = client_as("agent", language=language, temp=True, contract_end=date(2026, 12, 24))
    give_points(app, client.username, 1250)
    assert points in client.get("/wallet").get_data(as_text=True)
    settings = client.get("/settings").get_data(as_text=True)
    assert day in settings
    assert "12/24/26" not in settings and "Dec 24, 2026" not in settings
