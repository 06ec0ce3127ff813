"""gunicorn's own refusals (a request it cannot parse) answer with the API's JSON error body.

A real gunicorn, started with the repository's gunicorn.conf.py as `gunicorn wsgi:app` is:
the header check happens inside gunicorn, before the app, so the test client cannot show it.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import jsonschema_rs  # schemathesis validates with it too
import pytest

from pojo.api.openapi import document

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _exchange(port: int, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(raw)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            if b"Connection: close" not in answer and b"\r\n\r\n" in answer:
                head, _sep, rest = answer.partition(b"\r\n\r\n")
                length = [
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ]
                if length and len(rest) >= length[0]:
                    break
    head, _sep, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (x.split(":", 1) for x in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.fixture
def gunicorn(app, databases, backend):
    port = int(os.environ.get("POJO_TEST_GUNICORN_PORT") or _free_port())
    env = dict(
        os.environ, DATABASE_URL=databases[backend].url, SECRET_KEY="test-secret", POJO_SCHEDULER=""
    )
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "-w", "1",
         "-b", f"127.0.0.1:{port}", "--log-level", "error", "wsgi:app"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _error_schema(app, status: str) -> dict:
    spec = document(app)
    response = spec["paths"]["/api/v1/me"]["get"]["responses"][status]
    schema = response["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Error"}
    return spec["components"]["schemas"]["Error"]


@pytest.mark.parametrize(
    "header",
    [b"Idempotency-Key: a\x00b", b"Idempotency(Key): ab", b"Authorization"],
    ids=["nul-in-value", "bad-name", "no-colon"],
)
def test_a_header_gunicorn_cannot_read_is_the_documented_json_400(app, gunicorn, header):
    raw = b"GET /api/v1/me HTTP/1.1\r\nHost: pojo.test\r\n" + header + b"\r\n\r\n"
    status, headers, body = _exchange(gunicorn, raw)
    assert status == 400
    assert headers["content-type"] == "application/json"
    error = json.loads(body)
    jsonschema_rs.validate(_error_schema(app, "400"), error)
    assert error["error"]["code"] == "bad_request"


def test_a_request_gunicorn_can_read_still_reaches_the_app(app, gunicorn):
    status, headers, body = _exchange(
        gunicorn, b"GET /api/v1/me HTTP/1.1\r\nHost: pojo.test\r\nConnection: close\r\n\r\n"
    )
    assert status == 401  # the app's answer: no token
    assert headers["content-type"] == "application/json"
    jsonschema_rs.validate(_error_schema(app, "401"), json.loads(body))
