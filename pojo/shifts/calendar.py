"""One employee's shifts as an iCalendar (RFC 5545) feed, written with the `icalendar` library.

The same calendar answers `GET /api/v1/shifts.ics` (the bearer token's owner) and the
secret link a phone calendar subscribes to (`pojo.shifts.feeds`). It holds the shifts
that ended at most `PAST` ago and every coming one, at most `MOST_EVENTS`, each a VEVENT
whose UID is the shift's id, so a calendar app updates a moved shift in place and drops
one that is gone (deleted, or swapped to a colleague) on its next refresh.
"""

from datetime import timedelta

from flask import Response, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vDuration
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo.database import utcnow
from pojo.extensions import db
from pojo.people.models import Employee
from pojo.shifts.models import Shift

PAST = timedelta(days=30)
# The roster plans at most 400 days ahead; a full-time year is about 230 shifts.
MOST_EVENTS = 500
# How often a subscribed calendar should fetch the feed again.
REFRESH = timedelta(hours=1)
PRODID = "-//Pojo//Shifts//EN"
MEDIA_TYPE = "text/calendar"


def feed_shifts(employee: Employee) -> list[Shift]:
    """The employee's shifts the feed shows: from `PAST` ago on, soonest first."""
    return list(
        db.session.scalars(
            select(Shift)
            .where(Shift.employee_id == employee.id, Shift.ends_at > utcnow() - PAST)
            .options(joinedload(Shift.team))
            .order_by(Shift.starts_at)
            .limit(MOST_EVENTS)
        )
    )


def _event(shift: Shift, stamp) -> Event:
    event = Event.new(
        uid=f"shift-{shift.id}@pojo",
        start=shift.starts_at,
        end=shift.ends_at,
        stamp=stamp,
        summary=shift.label or _("Shift"),
        description=_("Team %(team)s", team=shift.team.name),
    )
    event.add("transp", "OPAQUE")
    return event


def shifts_calendar(employee: Employee) -> bytes:
    """The employee's feed as iCalendar text, worded in the employee's own language."""
    shifts = feed_shifts(employee)
    stamp = utcnow().replace(microsecond=0)
    with force_locale(employee.language):
        calendar = Calendar.new(
            prodid=PRODID,
            uid=f"shifts-{employee.id}@pojo",
            url=url_for("shifts.mine", _external=True),
        )
        calendar.add("method", "PUBLISH")
        # RFC 7986's NAME, and the X-WR-CALNAME that Apple's and Google's calendars read.
        name = _("Pojo – my shifts")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        # RFC 7986 asks for VALUE=DURATION here; Outlook and older apps read X-PUBLISHED-TTL.
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
        for shift in shifts:
            calendar.add_component(_event(shift, stamp))
    return calendar.to_ical()


def calendar_response(body: bytes) -> Response:
    """An iCalendar answer: for this reader only, fetched afresh (a calendar app polls)."""
    response = Response(body, mimetype=MEDIA_TYPE)
    response.headers["Content-Disposition"] = 'inline; filename="pojo-shifts.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
