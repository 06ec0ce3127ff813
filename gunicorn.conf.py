"""gunicorn's settings for Pojo: `gunicorn wsgi:app` run from this directory reads this file.

gunicorn answers a request it cannot parse (a control character in a header, a malformed
request line, too many headers) itself, before Pojo sees it, with an HTML page. The API
promises JSON errors (`{"error": {"code", "message"}}`, its OpenAPI document), so those
answers are written in that shape instead, for every path: gunicorn refuses before it knows
which path was meant. gunicorn has no setting for the body of its own errors; its workers
write them through `gunicorn.util.write_error`, which is replaced here in the master process,
before the workers are forked from it.
"""

import json

from gunicorn import util

CODES = {400: "bad_request", 403: "forbidden", 431: "headers_too_large", 501: "not_implemented"}


def write_json_error(sock, status_int, reason, mesg):
    """gunicorn's own error answer, as the API's error body (gunicorn's words for the message)."""
    body = json.dumps(
        {"error": {"code": CODES.get(status_int, "error"), "message": mesg or reason}}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    )
    util.write_nonblock(sock, head.encode("latin1") + body)


util.write_error = write_json_error
