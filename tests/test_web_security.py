"""Web security that holds for every page: CSRF, cookies, headers, sessions, tokens, sizes, images.

Some of it has a detailed test elsewhere (tests/test_auth.py, tests/test_api.py,
tests/test_request_size.py, tests/test_market_pages.py); here each property is
checked across the whole app, or the way an attacker would try it.
"""

import http.client
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from pojo import access
from pojo.api.models import ApiToken
from pojo.api.tokens import SHOWN_PREFIX_LENGTH
from pojo.auth.views import SESSION_TOKEN
from pojo.extensions import db
from pojo.market.models import Reward
from pojo.people import service as people
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD, csrf_token_from
from tests.test_access_matrix import database_rows
from tests.test_api import token_for
from tests.test_market_pages import reward_form

pytestmark = pytest.mark.usefixtures("quick_passwords")
ROOT = Path(__file__).parent.parent
PORTS = range(5120, 5130)  # this suite's own ports for a real gunicorn


def _login_through_the_form(client, username) -> None:
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _any_url(rule) -> str:
    """The rule's path with a value of the right kind for each parameter."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = 1 if type(converter).__name__ == "RowIdConverter" else "x"
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def csrf_app(make_app, databases, backend):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        databases[backend].reset()
    return app


# CSRF ---------------------------------------------------------------------------------


def test_every_state_changing_form_refuses_a_post_without_its_csrf_token(csrf_app, make_employee):
    admin = make_employee("aaro", role="admin", team="Office")
    client = csrf_app.test_client()
    _login_through_the_form(client, admin)
    forms = [
        rule
        for rule in csrf_app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        and not rule.rule.startswith(access.API_PREFIX)
    ]
    assert len(forms) > 30  # the whole app, not a handful
    before = database_rows(csrf_app)
    accepted = []
    with csrf_app.test_request_context():
        urls = [_any_url(rule) for rule in forms]
    for url in urls:
        response = client.post(url, data={"next": "/"})
        if response.status_code != 400 or "CSRF" not in response.get_data(as_text=True):
            accepted.append(f"{url}: {response.status}")
    assert accepted == []
    assert database_rows(csrf_app) == before
    assert client.get("/wallet").status_code == 200  # still logged in: refused, not logged out


def test_the_api_needs_no_csrf_token_because_a_cookie_never_authenticates_it(
    csrf_app, make_employee
):
    username = make_employee("aino")
    client = csrf_app.test_client()
    _login_through_the_form(client, username)  # a browser session cookie, and no token
    response = client.post("/api/v1/redemptions", json={"reward": 1, "max_price": 10})
    assert response.status_code == 401


# Cookies and headers -----------------------------------------------------------------


def _set_cookies(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_the_session_cookie_is_httponly_and_samesite_and_not_secure_over_http(
    client, make_employee
):
    make_employee("aino")
    response = client.post("/login", data={"username": "aino", "password": PASSWORD})
    cookie = _set_cookies(response)["session"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert "Strict-Transport-Security" not in response.headers
    language = _set_cookies(client.post("/language/fi", data={}))["lang"]
    assert "HttpOnly" in language and "SameSite=Lax" in language and "Secure" not in language


def test_over_https_every_cookie_is_secure_and_hsts_is_sent(
    make_app, databases, backend, make_employee, monkeypatch
):
    monkeypatch.setenv("POJO_SECURE_COOKIES", "1")  # the setting README documents
    app = make_app()
    with app.app_context():
        databases[backend].reset()
        with unit_of_work():
            people.create_employee("aino", role="agent", team_name="Alpha", password=PASSWORD)
    client = app.test_client()
    response = client.post(
        "/login", data={"username": "aino", "password": PASSWORD}, base_url="https://pojo.test"
    )
    assert response.status_code == 302
    assert "Secure" in _set_cookies(response)["session"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    language = client.post("/language/fi", data={}, base_url="https://pojo.test")
    assert "Secure" in _set_cookies(language)["lang"]
    for path in ("/login", "/api/v1/me", "/no-such-page"):
        assert "max-age=" in client.get(path).headers["Strict-Transport-Security"]


def test_every_kind_of_answer_sends_the_security_headers(client):
    for path in ("/login", "/wallet", "/no-such-page", "/api/v1/me"):
        _assert_security_headers(client.get(path))


def _assert_security_headers(response):
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no eval, no other origin
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_static_files_are_not_sniffed(app, client):
    page = client.get("/login").get_data(as_text=True)
    script = page.split('<script src="', 1)[1].split('"', 1)[0]
    response = client.get(script)
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# Sessions ------------------------------------------------------------------------------


def _session_cookie(client) -> str:
    return client.get_cookie("session", domain="pojo.test").value


def _cookie_opens_the_wallet(app, cookie: str) -> bool:
    thief = app.test_client()
    thief.set_cookie("session", cookie, domain="pojo.test")
    return thief.get("/wallet").status_code == 200


def test_login_starts_a_new_session_so_a_planted_cookie_opens_nothing(csrf_app, make_employee):
    make_employee("aino")
    victim = csrf_app.test_client()
    victim.get("/login")
    with victim.session_transaction() as session:
        session["planted"] = "by the attacker"
    planted = _session_cookie(victim)  # what an attacker could have set in the victim's browser
    _login_through_the_form(victim, "aino")
    assert _session_cookie(victim) != planted
    with victim.session_transaction() as session:
        assert "planted" not in session
    assert victim.get("/wallet").status_code == 200
    assert not _cookie_opens_the_wallet(csrf_app, planted)
    # Out and in again in the same browser, the server-side session is a new one too.
    with victim.session_transaction() as session:
        first = session[SESSION_TOKEN]
    token = csrf_token_from(victim.get("/settings").get_data(as_text=True))
    assert victim.post("/logout", data={"csrf_token": token}).status_code == 302
    _login_through_the_form(victim, "aino")
    with victim.session_transaction() as session:
        assert session[SESSION_TOKEN] != first


def _change_password(app, username, client) -> None:
    response = client.post(
        "/settings",
        data={
            "pw-current": PASSWORD,
            "pw-new": "a brand new secret",
            "pw-repeat": "a brand new secret",
        },
    )
    assert response.status_code == 302


def _deactivate(app, username, client) -> None:
    with app.app_context(), unit_of_work():
        people.deactivate(people.get_employee(username))


def _log_out(app, username, client) -> None:
    assert client.post("/logout").status_code == 302


@pytest.mark.parametrize("ending", [_log_out, _change_password, _deactivate])
def test_a_copied_session_cookie_opens_nothing_once_the_session_is_ended(
    app, make_employee, login, ending
):
    username = make_employee("aino")
    other_device = login(app.test_client(), username)
    copied = _session_cookie(other_device)
    assert _cookie_opens_the_wallet(app, copied)
    ending(
        app, username, other_device if ending is _log_out else login(app.test_client(), username)
    )
    assert not _cookie_opens_the_wallet(app, copied)


# API tokens ----------------------------------------------------------------------------


def test_an_api_token_is_nowhere_in_the_database_and_revoking_it_on_the_page_stops_it(
    app, make_employee
):
    username = make_employee("helena", role="hr", team="Office")
    token = token_for(app, username)
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert api.get("/api/v1/me").status_code == 200
    secret = token[SHOWN_PREFIX_LENGTH:]  # all but the prefix the tokens page shows
    for table, rows in database_rows(app).items():
        assert not any(secret in value for row in rows for value in row), table
    hr = app.test_client()
    hr.post("/login", data={"username": username, "password": PASSWORD})
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert hr.post(f"/tokens/{token_id}/revoke", data={}).status_code == 302
    refused = api.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"


# Uploaded images -----------------------------------------------------------------------


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(out, format=fmt)
    return out.getvalue()


FAKE_PNGS = {
    "an SVG with a script": b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>",
    "a PNG's first bytes only": b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20,
    "a PNG cut short": _image("PNG")[:60],
}


def test_a_png_that_is_not_a_png_is_refused(app, client_as):
    hr = client_as("hr", team="Office")
    before = database_rows(app)
    for what, content in FAKE_PNGS.items():
        response = hr.post(
            "/market/admin/rewards/new",
            data=reward_form(image=(io.BytesIO(content), "photo.png")),
            content_type="multipart/form-data",
        )
        assert response.status_code == 422, what
    assert database_rows(app)["rewards"] == before["rewards"]


def test_an_image_is_served_as_what_its_content_is_not_what_its_name_says(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/market/admin/rewards/new",
        data=reward_form(image=(io.BytesIO(_image("GIF")), "photo.png")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        reward_id = db.session.scalar(select(Reward.id))
    image = hr.get(f"/market/rewards/{reward_id}/image")
    assert image.content_type == "image/gif"
    assert image.headers["X-Content-Type-Options"] == "nosniff"


# Request size, through a real gunicorn -----------------------------------------------

LIMIT = 4096


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("all of this suite's ports 5120-5129 are taken")


@pytest.fixture
def gunicorn(app, databases, backend, tmp_path):
    """Pojo under gunicorn (which dechunks bodies itself) on this test's database."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": databases[backend].url,
        "SECRET_KEY": "test-secret",
        "POJO_MAX_CONTENT_LENGTH": str(LIMIT),
        "POJO_DEFAULT_LANGUAGE": "en",
    }
    env.pop("POJO_SCHEDULER", None)
    server = subprocess.Popen(
        [
            Path(sys.executable).parent / "gunicorn",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=tmp_path.joinpath("gunicorn.log").open("w"),
    )
    try:
        for _attempt in range(600):  # up to a minute on a busy machine
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, tmp_path.joinpath("gunicorn.log").read_text()
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _post(port, path, body: bytes, headers: dict, *, chunked: bool):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if chunked:
        pieces = (body[start : start + 1000] for start in range(0, len(body), 1000))
        connection.request("POST", path, body=pieces, headers=headers, encode_chunked=True)
    else:
        connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    found = response.status, response.getheader("Content-Type") or "", response.read()
    connection.close()
    return found


def test_gunicorn_refuses_a_body_over_the_limit_with_413_chunked_or_not(
    app, gunicorn, make_employee
):
    token = token_for(app, make_employee("helena", role="hr", team="Office"))
    for chunked in (True, False):
        _assert_size_limit(gunicorn, token, chunked=chunked)


def _assert_size_limit(port, token, *, chunked: bool):
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    big = json.dumps({"outcomes": [], "padding": "x" * (LIMIT + 2000)}).encode()
    status, kind, body = _post(port, "/api/v1/outcomes", big, api, chunked=chunked)
    assert (status, kind) == (413, "application/json")
    assert json.loads(body)["error"]["code"] == "too_large"
    form = b"username=" + b"x" * (LIMIT + 2000) + b"&password=y"
    status, kind, body = _post(
        port,
        "/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded"},
        chunked=chunked,
    )
    assert status == 413 and kind.startswith("text/html") and b"<html" in body
    small = json.dumps({"outcomes": []}).encode()
    status, _kind, body = _post(port, "/api/v1/outcomes", small, api, chunked=chunked)
    assert status == 200, body
