"""A body sent in chunks, without Content-Length, is held to the same size limit as any other.

Sent through a real socket to Werkzeug's server: the test client cannot send
chunked bodies, and it is the server that dechunks them.
"""

import http.client
import json
import threading

import pytest
from werkzeug.serving import make_server

from tests.test_api import token_for

LIMIT = 4096


@pytest.fixture
def served(make_app, databases, backend, make_employee):
    """The app behind a real HTTP server on a free port, with a small size limit."""
    app = make_app(MAX_CONTENT_LENGTH=LIMIT, SERVER_NAME=None)
    with app.app_context():
        databases[backend].reset()
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, server.server_port
    server.shutdown()
    thread.join()


def _post_chunked(port, path, body: bytes, headers: dict):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    pieces = (body[start : start + 1000] for start in range(0, len(body), 1000))
    connection.request("POST", path, body=pieces, headers=headers, encode_chunked=True)
    response = connection.getresponse()
    found = response.status, response.getheader("Content-Type"), response.read()
    connection.close()
    return found


def _outcomes(size: int) -> bytes:
    """A JSON outcomes body of about `size` bytes (a long external id makes the bulk)."""
    return json.dumps({"outcomes": [], "padding": "x" * size}).encode()


def test_an_oversized_chunked_json_body_gets_the_documented_413(served, make_employee):
    app, port = served
    token = token_for(app, make_employee("iris", role="hr", team="Office"))
    status, kind, body = _post_chunked(
        port,
        "/api/v1/outcomes",
        _outcomes(LIMIT + 2000),
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 413
    assert kind == "application/json"
    assert json.loads(body)["error"]["code"] == "too_large"


def test_a_chunked_json_body_within_the_limit_is_read_whole(served, make_employee):
    app, port = served
    token = token_for(app, make_employee("iris", role="hr", team="Office"))
    status, _kind, body = _post_chunked(
        port,
        "/api/v1/outcomes",
        json.dumps({"outcomes": []}).encode() + b" " * (LIMIT - 20),
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 200, body
    assert json.loads(body)["accepted"] == 0


def test_an_oversized_chunked_form_gets_the_413_page(served):
    _app, port = served
    form = b"username=" + b"x" * (LIMIT + 2000) + b"&password=y"
    status, kind, body = _post_chunked(
        port, "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 413
    assert kind.startswith("text/html")
    assert b"<html" in body
