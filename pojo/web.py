"""What every request shares: the unit of work, access rules, headers, template helpers."""

import re
import uuid
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, flash, g, has_request_context, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from pojo.bounds import NEXT_PATH_LENGTH, ChunkedBodyLimit
from pojo.extensions import db, login_manager
from pojo.features import installed
from pojo.formatting import format_cents, format_date, format_datetime, format_points
from pojo.policy import ANY, PUBLIC, Capability, can, check_object_rule, check_rule, permits


def allow(rule: str | Capability, *, object_rule: Capability | None = None):
    """Declare who may use a view: PUBLIC, EVERYONE, or a capability (pojo.policy).

    A capability is checked for the user's role here; the view checks it for
    the object it acts on. `object_rule` names the capability whose object rule
    the service then asks for the thing the URL names (`view_ledger` for
    /people/<username>/ledger). Both are kept on the view (``access_rule``,
    ``object_rule``) so pojo.access can list them and a test can check them.
    """
    check_rule(rule)
    check_object_rule(object_rule)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if rule != PUBLIC:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if not permits(current_user, rule):
                    abort(403)
            return view(*args, **kwargs)

        wrapped.access_rule = rule
        wrapped.object_rule = object_rule
        return wrapped

    return decorator


def sections(page: str, **context) -> list[tuple[str, dict]]:
    """The panels other features put on `page` (`Feature.sections`), in feature order.

    The market adds the goal to the wallet, outcomes add their rules to the
    catalogue, without the page importing them.
    """
    found = (provider(**context) for provider in installed().sections.get(page, []))
    return [section for section in found if section is not None]


# An entry of the main navigation; each feature lists its own (`Feature.nav`).
@dataclass(frozen=True)
class NavItem:
    order: int
    endpoint: str
    label: object  # a lazy gettext string
    capability: Capability | None = None  # None: everyone's
    # Items of the "manage" group sit behind one menu button, so the bar stays one line.
    manage: bool = False


def nav_for(user) -> tuple[list[NavItem], list[NavItem]]:
    """The main entries and the management entries this user sees, by order."""
    visible = [i for i in installed().nav if i.capability is None or can(user, i.capability)]
    return [i for i in visible if not i.manage], [i for i in visible if i.manage]


def _user_can(capability, obj=ANY) -> bool:
    """The templates' `can("manage_catalogue")`, `can("view_ledger", employee)`."""
    return can(current_user, capability, obj)


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: no open redirects.

    Browsers read a backslash as a slash, so "/\\evil.example" is off-site too; a path
    longer than any of the site's (`bounds.NEXT_PATH_LENGTH`) is nobody's page either.
    """
    if not target or len(target) > NEXT_PATH_LENGTH:
        return None
    if not target.startswith("/") or target[1:2] in ("/", "\\"):
        return None
    return None if urlsplit(target).netloc else target


def mark_refused() -> None:
    """Tell the commit point that this request was refused: it rolls back, whatever the status.

    A refusal shown after a redirect answers 302, a success status, so without this
    the commit point would keep what the service flushed before it refused.
    """
    g.refused = True


def flash_refusal(error) -> None:
    """Report a refused action on the page a redirect leads to; nothing it did is kept."""
    mark_refused()
    flash(error.message, "error")


def reads_only() -> bool:
    """True in a GET or HEAD request: its database work begins no transaction until it writes.

    See `pojo.database.configure_transactions`; the commit point is the same for all.
    """
    return has_request_context() and request.method in ("GET", "HEAD")


def new_request_id() -> str:
    """A value for a form's hidden request_id: the same form posted twice acts once."""
    return uuid.uuid4().hex


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# Sent only when served over HTTPS (POJO_SECURE_COOKIES): browsers then refuse plain HTTP for a year.
HSTS = "max-age=31536000"


def _has_nul(req) -> bool:
    """NUL characters are refused everywhere: PostgreSQL cannot store them in text."""
    if "\x00" in req.path or any("\x00" in v for v in req.args.values()):
        return True
    if req.mimetype == "application/json":
        return b"\\u0000" in req.get_data(cache=True)
    if req.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in v for v in req.form.values())
    return False


# The query argument and cookie that tell a page its export's download began (download.js).
DOWNLOAD_COOKIE = "pojo_download"
DOWNLOAD_TOKEN = re.compile(r"[A-Za-z0-9]{8,40}")


def init_app(app: Flask) -> None:
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app.config)

    @app.before_request
    def _refuse_nul_characters():
        if _has_nul(request):
            abort(400, description=_("The request contains a NUL character."))

    @app.after_request
    def _mark_download_started(response):
        # static/js/download.js shows "Preparing…" on an export's button until this cookie,
        # set with the file's first bytes, says the browser has the download in hand.
        token = request.args.get(DOWNLOAD_COOKIE, "")
        attachment = "attachment" in response.headers.get("Content-Disposition", "")
        if attachment and DOWNLOAD_TOKEN.fullmatch(token):
            response.set_cookie(
                DOWNLOAD_COOKIE,
                token,
                max_age=120,
                secure=request.is_secure,
                httponly=False,  # the page's script reads it
                samesite="Strict",
            )
        return response

    @app.after_request
    def _finish_unit_of_work(response):
        # The one commit point: services only flush; an error response, or a refusal
        # answered with a redirect (mark_refused), changes nothing.
        if response.status_code < 400 and not g.get("refused"):
            db.session.commit()
        else:
            db.session.rollback()
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    app.jinja_env.globals.update(
        new_request_id=new_request_id,
        format_points=format_points,
        format_date=format_date,
        format_datetime=format_datetime,
        can=_user_can,
    )

    @app.context_processor
    def _page_globals():
        nav, manage = nav_for(current_user) if current_user.is_authenticated else ([], [])
        return {
            # g.language is unset when a request fails before it is chosen (a 413, say).
            "language": g.language if "language" in g else get_locale().language,
            "nav": nav,
            "manage_nav": manage,
        }

    app.jinja_env.filters["points"] = format_points
    app.jinja_env.filters["euros"] = format_cents
