"""Every error page speaks the user's language and says what happened and what to do."""

import re

import pytest
from flask import abort
from werkzeug.exceptions import default_exceptions

from pojo.web import PUBLIC, allow
from tests.conftest import csrf_token_from

TITLES = {
    400: ("Bad request", "Virheellinen pyyntö"),
    403: ("Not allowed", "Ei oikeutta"),
    404: ("Not found", "Ei löytynyt"),
    405: ("Not possible this way", "Ei onnistu näin"),
    413: ("Too large", "Liian suuri"),
    422: ("That did not work", "Se ei onnistunut"),
    429: ("Too many tries", "Liian monta yritystä"),
    500: ("Something went wrong", "Jotain meni vikaan"),
    503: ("Temporarily unavailable", "Tilapäisesti poissa käytöstä"),
}
WERKZEUG_TEXTS = [cls.description for cls in default_exceptions.values()]


@pytest.fixture
def error_app(make_app, app):
    """The app with a route that fails with any status, and a small request size limit."""
    failing = make_app(MAX_CONTENT_LENGTH=4096)

    @failing.route("/test-only/fail/<int:status>")
    @allow(PUBLIC)
    def fail(status):
        if status == 500:
            raise RuntimeError("a bug")
        abort(status)

    return failing


def _request(client, status):
    """A real way to each status where there is one, else the failing route."""
    if status == 403:
        return client.get("/people")
    if status == 404:
        return client.get("/no-such-page")
    if status == 405:
        return client.get("/logout")
    if status == 413:
        return client.post("/settings", data={"lang-language": "x" * 10_000})
    return client.get(f"/test-only/fail/{status}")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("status", sorted(TITLES))
@pytest.mark.parametrize("language", ["en", "fi"])
def test_every_error_page_speaks_the_users_language(
    error_app, make_employee, login, status, language
):
    client = login(error_app.test_client(), make_employee(language=language))
    response = _request(client, status)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    english, finnish = TITLES[status]
    assert f"<h1>{english if language == 'en' else finnish}</h1>" in page
    hint = re.search(r'<p class="error-hint">(.+?)</p>', page, re.S)
    assert hint and len(hint.group(1).strip()) > 20, "the page says what to do"
    assert not [text for text in WERKZEUG_TEXTS if text in _text(page)]


def test_error_pages_before_login_follow_the_browser(error_app):
    page = error_app.test_client().get("/no-such-page", headers={"Accept-Language": "fi"})
    assert "<h1>Ei löytynyt</h1>" in page.get_data(as_text=True)


def test_refused_csrf_token_is_explained(make_app, app):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    response = client.post(
        "/login", data={"username": "x", "password": "y"}, headers={"Accept-Language": "fi"}
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert "The CSRF token is missing." not in response.get_data(as_text=True)
    csrf_token_from(client.get("/login").get_data(as_text=True))


@pytest.mark.parametrize(
    "method, path, status, code",
    [
        ("get", "/api/v1/no-such-thing", 404, "not_found"),
        ("delete", "/api/v1/awards", 405, "method_not_allowed"),
    ],
)
@pytest.mark.parametrize("language", ["en", "fi"])
def test_api_errors_carry_our_message_and_keep_their_code(
    app, method, path, status, code, language
):
    response = getattr(app.test_client(), method)(path, headers={"Accept-Language": language})
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"] not in WERKZEUG_TEXTS
    english = app.test_client().get(path, headers={"Accept-Language": "en"}).get_json()
    if language == "fi" and status == 404:
        assert error["message"] != english["error"]["message"]
