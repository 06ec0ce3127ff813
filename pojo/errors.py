"""Domain errors with stable codes, and how the web layer shows them.

Services raise these; HTML views turn them into form errors or error
pages, the API into ``{"error": {"code", "message"}}`` with the status.
"""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from pojo.extensions import db


class DomainError(Exception):
    """A refused operation. ``code`` is a stable contract; ``message`` is for people."""

    code = "refused"
    status = 422

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidInput(DomainError):
    code = "invalid"
    status = 400


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: str, message: str, status: int, **details):
    """The API's error body: ``{"error": {"code", "message", ...details}}``."""
    body = {"code": code, "message": message, **details}
    return jsonify({"error": body}), status


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "unprocessable",
    429: "too_many_requests",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        db.session.rollback()
        if wants_json():
            return error_response(error.code, error.message, error.status, **error.details)
        return render_template(
            "error.html", status=error.status, message=error.message
        ), error.status

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        message = error.description or error.name
        if wants_json():
            return error_response(_HTTP_CODES.get(status, "error"), message, status)
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        message = _("Something went wrong on our side. Nothing was changed.")
        if wants_json():
            return error_response("internal", message, 500)
        return render_template("error.html", status=500, message=message), 500
