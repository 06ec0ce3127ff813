"""The calendar subscription: the secret feed a phone calendar reads, and making or
stopping one's link from "My shifts" (the panel is `calendar_section`)."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from pojo.errors import NotFound
from pojo.forms import ConfirmForm
from pojo.policy import EVERYONE, PUBLIC
from pojo.shifts import feeds
from pojo.shifts.calendar import calendar_response
from pojo.web import allow

bp = Blueprint("shift_calendar", __name__, url_prefix="/shifts/calendar")


@bp.route("/<token>.ics")
@allow(PUBLIC)  # the token in the URL is the credential: a calendar app has no login
def feed(token: str):
    try:
        body = feeds.feed_calendar(token)
    except NotFound:
        abort(404)
    response = calendar_response(body)
    # The address is a secret: keep it out of search engines and other sites' logs.
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/link", methods=["POST"])
@allow(EVERYONE)
def create():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = feeds.create_feed(current_user)
    # Served over HTTPS (POJO_SECURE_COOKIES) the link says so, even behind a proxy that
    # speaks plain HTTP to the app.
    secure = current_app.config.get("SESSION_COOKIE_SECURE")
    url = url_for(
        "shift_calendar.feed", token=token, _external=True, _scheme="https" if secure else None
    )
    # Shown here once and never again (only its hash is kept), so not stored by the browser.
    response = Response(
        render_template(
            "shifts/calendar_link.html",
            url=url,
            webcal="webcal://" + url.split("://", 1)[1],
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/stop", methods=["POST"])
@allow(EVERYONE)
def stop():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if feeds.revoke_feed(current_user):
        flash(_("Calendar link stopped; calendars using it no longer get your shifts."), "success")
    return redirect(url_for("shifts.mine"))


def calendar_section(employee, **_context):
    """The "Calendar subscription" panel of My shifts: one's live link, if any, and its buttons."""
    return "shifts/_calendar.html", {"feed": feeds.live_feed(employee), "form": ConfirmForm()}
