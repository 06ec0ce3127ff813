"""Domain errors with stable codes, and how the web layer shows them.

Services raise these; HTML views turn them into form errors or error
pages, the API into ``{"error": {"code", "message"}}`` with the status.
Every error page and API message is ours, in the user's language: what
happened and what to do, never Werkzeug's English text.
"""

from dataclasses import dataclass

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from pojo.database import is_connection_failure
from pojo.extensions import db, login_manager


class DomainError(Exception):
    """A refused operation. ``code`` is a stable contract; ``message`` is for people.

    A refusal names its code and status in its class header, as the ones
    below do: ``class NotInTeam(Forbidden, code="not_in_team")``.
    """

    code = "refused"
    status = 422

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status = status

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


# The refusals every feature uses, one per status.
class NotFound(DomainError, code="not_found", status=404): ...


class Forbidden(DomainError, code="forbidden", status=403): ...


class Conflict(DomainError, code="conflict", status=409): ...


class InvalidInput(DomainError, code="invalid", status=400): ...


# The refusals with a code of their own, here so that every caller imports them from one place.
class InsufficientPoints(DomainError, code="insufficient_points"):
    """The ledger: a debit larger than the balance (`balance=` in the details)."""


class OverBudget(DomainError, code="over_budget"):
    """Awards: a supervisor's award past the team's monthly budget."""


class SelfAward(DomainError, code="self_award"):
    """Awards: nobody awards themself."""


class NotInTeam(Forbidden, code="not_in_team"):
    """Awards: a supervisor awards only members of the teams they supervise."""


class LoginThrottled(DomainError, code="too_many_attempts", status=429):
    """Auth: too many failed logins for the username, the address or the pair."""


class RejectedRows(DomainError, code="rejected_rows"):
    """Outcome imports: a file with rejected rows, confirmed without leaving them out."""


class PriceMoved(Conflict, code="price_moved"):
    """The market: the price rose above the `max_price` a redeemer confirmed (`price=`)."""


class OutOfStock(Conflict, code="out_of_stock"):
    """The market: no unit of the reward left."""


class LimitReached(DomainError, code="limit_reached"):
    """The market: the reward's per-person limit for its period is used up."""


class RewardUnavailable(DomainError, code="reward_unavailable"):
    """The market: the reward was withdrawn from the exchange."""


class ShiftRequired(DomainError, code="shift_required"):
    """Shift swaps: a shift-swap reward is redeemed for one of one's own coming shifts."""


class NotYourShift(DomainError, code="not_your_shift"):
    """Shift swaps: the shift named is someone else's (or no shift at all)."""


class TooLate(DomainError, code="too_late"):
    """Shift swaps: the shift starts inside the swap deadline window."""


class AlreadyOnBoard(Conflict, code="already_on_board"):
    """Shift swaps: the shift is already on the swap board."""


class AlreadyTaken(Conflict, code="already_taken"):
    """Shift swaps: someone took the swap first, or it is no longer open."""


class OwnSwap(DomainError, code="own_swap"):
    """Shift swaps: nobody takes their own swap."""


class ShiftOverlap(DomainError, code="overlap"):
    """Shift swaps: the shift overlaps one of the taker's own."""


class RestPeriod(DomainError, code="rest_period"):
    """Shift swaps: the shift leaves the taker less than the minimum rest beside their own."""


class ContractEnded(DomainError, code="contract_ended"):
    """Shift swaps: the shift falls after the taker's contract ends."""


class OtherTeam(DomainError, code="not_in_team"):
    """Shift swaps: the shift belongs to another team than the taker's (422, unlike awards' 403)."""


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: str, message: str, status: int, **details):
    """The API's error body: ``{"error": {"code", "message", ...details}}``."""
    body = {"code": code, "message": message, **details}
    return jsonify({"error": body}), status


@dataclass(frozen=True)
class ErrorText:
    """What an HTTP status means to people: the API code, a title, what happened, what to do."""

    code: str
    title: str
    what: str
    todo: str


ERRORS = {
    400: ErrorText(
        "bad_request",
        _l("Bad request"),
        _l("Pojo could not use what was sent: a form field or a part of the address is not valid."),
        _l("Go back, check what you entered and try again."),
    ),
    401: ErrorText(
        "unauthorized",
        _l("Not logged in"),
        _l("This needs you to log in first."),
        _l("Log in and try again."),
    ),
    403: ErrorText(
        "forbidden",
        _l("Not allowed"),
        _l("Your account may not open this page or do this."),
        _l("If you think you should be able to, ask HR to check your role."),
    ),
    404: ErrorText(
        "not_found",
        _l("Not found"),
        _l("There is nothing here: the page or item does not exist, or it has been removed."),
        _l("Check the address, or start again from the front page."),
    ),
    405: ErrorText(
        "method_not_allowed",
        _l("Not possible this way"),
        _l("This address does not take that kind of request."),
        _l("Use the links and buttons on Pojo's pages instead."),
    ),
    409: ErrorText(
        "conflict",
        _l("Someone was quicker"),
        _l("The same thing was changed at the same moment by someone else."),
        _l("Reload the page to see the latest state, then try again."),
    ),
    413: ErrorText(
        "too_large",
        _l("Too large"),
        _l("What you sent is larger than Pojo accepts."),
        _l("Send less at once: a smaller file, or the rows in several parts."),
    ),
    422: ErrorText(
        "unprocessable",
        _l("That did not work"),
        _l("What you sent could not be used."),
        _l("Check what you entered and try again."),
    ),
    429: ErrorText(
        "too_many_requests",
        _l("Too many tries"),
        _l("There were too many tries in a short time."),
        _l("Wait a few minutes and try again."),
    ),
    500: ErrorText(
        "internal",
        _l("Something went wrong"),
        _l("Something went wrong on our side. Nothing was changed."),
        _l("Try again in a moment. If it keeps happening, tell your supervisor or HR."),
    ),
    503: ErrorText(
        "unavailable",
        _l("Temporarily unavailable"),
        _l("Pojo cannot reach its database just now."),
        _l(
            "Wait a moment and try again. If you were saving something, check whether it was saved."
        ),
    ),
}
_CSRF_REFUSED = _l(
    "The form's security check (its CSRF token) failed: the page was open very long, "
    "you logged in or out meanwhile, or the form came from another site."
)
_CSRF_TODO = _l("Reload the page and send the form again.")

# Seconds a client is asked to wait after a lost database connection.
RETRY_AFTER_SECONDS = 5
# Set in the WSGI environ when a GET lost its connection and should be served again.
_RETRY = "pojo.retry_on_fresh_connection"
_RETRIED = "pojo.retried"


def _text_for(status: int) -> ErrorText:
    """The texts for `status`; a rarer one borrows its class's (4xx or 5xx), code "error"."""
    if status in ERRORS:
        return ERRORS[status]
    like = ERRORS[500 if status >= 500 else 400]
    return ErrorText("error", like.title, like.what, like.todo)


def _render(status: int, message: str, hint: str, headers=()):
    """The error page, or the API's error body, for a status without a domain code."""
    headers = list(headers)
    if status == 503 and not any(name == "Retry-After" for name, _value in headers):
        headers.append(("Retry-After", str(RETRY_AFTER_SECONDS)))
    text = _text_for(status)
    if wants_json():
        body, status = error_response(text.code, message, status)
    else:
        body = render_template(
            "error.html", status=status, title=text.title, message=message, hint=hint
        )
    return body, status, headers


def _http_message(error: HTTPException) -> tuple[str, str]:
    """What happened and what to do: our own words, unless our code gave the reason."""
    text = _text_for(error.code or 500)
    if isinstance(error, CSRFError):
        return str(_CSRF_REFUSED), str(_CSRF_TODO)
    # Werkzeug's default descriptions live on the class and are English; one given
    # with abort(status, description=_("...")) by our code is the reason, translated.
    if "description" in vars(error) and error.description:
        return error.description, str(text.todo)
    return str(text.what), str(text.todo)


def _unavailable(error: Exception):
    """503 with Retry-After for a lost database connection; a GET is served again once."""
    current_app.logger.warning("database connection failed: %s", error)
    if request.method in ("GET", "HEAD") and not request.environ.get(_RETRIED):
        request.environ[_RETRY] = True
    db.session.rollback()
    # Render as for a visitor: the user's rows may be expired or not loaded, and
    # loading them needs the database. The language was chosen at the start.
    login_manager._update_request_context_with_user()
    return _render(503, str(ERRORS[503].what), str(ERRORS[503].todo))


class _RetryOnFreshConnection:
    """WSGI middleware: serve a GET once more when its first try lost the database connection.

    The error handler marks the request; the first response is dropped unsent and
    the request runs again. SQLAlchemy invalidates the pool on a disconnect, so the
    second try connects afresh even without pool pre-ping.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        pristine = dict(environ)

        def start_unless_retried(status, headers, exc_info=None):
            if environ.get(_RETRY):
                return lambda _data: None
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, start_unless_retried)
        if not environ.get(_RETRY):
            return body
        if hasattr(body, "close"):
            body.close()
        return self.wsgi_app({**pristine, _RETRIED: True}, start_response)


def init_app(app: Flask) -> None:
    app.wsgi_app = _RetryOnFreshConnection(app.wsgi_app)

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        db.session.rollback()
        if wants_json():
            return error_response(error.code, error.message, error.status, **error.details)
        return _render(error.status, error.message, str(_text_for(error.status).todo))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if is_connection_failure(getattr(error, "original_exception", None)):
            return _unavailable(error.original_exception)
        db.session.rollback()
        status = error.code or 500
        message, hint = _http_message(error)
        # Keep what the status promises: Allow on a 405, Retry-After on a 429 or 503.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return _render(status, message, hint, headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if is_connection_failure(error):
            return _unavailable(error)
        db.session.rollback()
        app.logger.exception("unhandled error")
        text = ERRORS[500]
        return _render(500, str(text.what), str(text.todo))
