"""The roster in API v1: the caller's own shifts as an iCalendar feed."""

from pojo.api import api_blueprint
from pojo.people.models import Employee
from pojo.policy import EVERYONE
from pojo.shifts.calendar import MEDIA_TYPE, calendar_response, shifts_calendar

bp = api_blueprint("shifts_api", __name__, operation_prefix="shifts")

ICALENDAR = {
    "type": "string",
    "description": "an iCalendar (RFC 5545) VCALENDAR with one VEVENT per shift",
}


@bp.route("/shifts.ics")
@bp.api_view(EVERYONE, response=ICALENDAR, content_type=MEDIA_TYPE)
def calendar(caller: Employee):
    """The caller's shifts as iCalendar: those of the last 30 days and every coming one."""
    return calendar_response(shifts_calendar(caller))
