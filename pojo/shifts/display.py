"""How a shift's day and hours read, in the user's language and the site's zone."""

from datetime import date

import flask_babel
from babel import dates as babel_dates

from pojo.rows import site_zone

# Day-month order in both languages ("to 24.12.", "Thu 24 Dec"); Finnish writes 14.00.
_DAY = {"fi": "EEE d.M.", "en": "EEE d MMM"}
_TIME = {"fi": "H.mm", "en": "HH:mm"}


def _language() -> str:
    locale = flask_babel.get_locale()
    return locale.language if locale and locale.language in _DAY else "en"


def day_name(day: date) -> str:
    """A weekday and date, short: "to 24.12." / "Thu 24 Dec"."""
    return flask_babel.format_date(day, _DAY[_language()])


def _clock(moment) -> str:
    return babel_dates.format_time(moment, _TIME[_language()], locale=_language())


def shift_day(shift) -> str:
    """The day a shift starts on."""
    return day_name(shift.starts_at.astimezone(site_zone()).date())


def shift_hours(shift) -> str:
    """A shift's hours, "16:00–22:00" or "16.00–22.00" (the end's date when it is on a later day)."""
    zone = site_zone()
    start = shift.starts_at.astimezone(zone)
    end = shift.ends_at.astimezone(zone)
    if end.date() == start.date():
        return f"{_clock(start)}–{_clock(end)}"
    return f"{_clock(start)}–{day_name(end.date())} {_clock(end)}"
