"""Numbers and moments as people read them in their language ("1 250" in Finnish, "1,250" in English).

English is written as in Britain: day before month ("24 Dec 2026", "24/12/2026"), a 24-hour
clock, never the US "12/24/26"; Pojo's people are in Europe whichever language they read.

Both are drawn for every row of a list (a wallet page formats 25 moments and as many
point amounts), so each locale's symbols and patterns are looked up once per process
instead of once per value; the text is exactly what Babel writes (tests/test_formatting.py).
"""

from datetime import UTC, date, datetime
from functools import cache

import flask_babel
from babel import Locale, dates, numbers

_NAMED_FORMATS = ("full", "long", "medium", "short")
# The territory whose dates a language is written with when the locale names none.
_TERRITORY = {"en": "GB"}


def _territory(language: str, territory: str | None) -> str | None:
    return territory or _TERRITORY.get(language)


@cache
def _point_symbols(language: str, territory: str | None) -> tuple[str, str]:
    """The group separator and the negative sign Babel writes for this locale, asked of Babel."""
    locale = Locale(language, territory)
    thousand = numbers.format_decimal(1000, format="#,##0", locale=locale)
    negative = numbers.format_decimal(-1, format="#,##0", locale=locale)
    return thousand[1:-3], negative[:-1]


def format_points(points: int | None) -> str:
    """Whole points with the locale's grouping; a dash for none."""
    if points is None:
        return "–"
    locale = flask_babel.get_locale()
    if locale is None:  # outside a request
        return flask_babel.format_decimal(points, format="#,##0")
    group, minus = _point_symbols(locale.language, locale.territory)
    text = f"{abs(points):,}".replace(",", group)
    return minus + text if points < 0 else text


def format_cents(cents: int | None, decimal: str | None = None) -> str:
    """Euro cents as a plain amount, "12,50" in Finnish and "12.50" in English; empty for none.

    No grouping, so the text reads back as typed into a form or a spreadsheet cell.
    `decimal` picks the separator (a file's choice); by default the locale's.
    """
    if cents is None:
        return ""
    if decimal is None:
        locale = flask_babel.get_locale()
        decimal = "." if locale is not None and locale.language == "en" else ","
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}{decimal}{abs(cents) % 100:02d}"


@cache
def _datetime_patterns(language: str, territory: str | None, format: str):
    """Babel's way of writing a named datetime format, compiled once: (frame, time, date)."""
    locale = Locale(language, _territory(language, territory))
    frame = dates.get_datetime_format(format, locale=locale).replace("'", "")
    time = dates.parse_pattern(dates.get_time_format(format, locale=locale).pattern)
    date = dates.parse_pattern(dates.get_date_format(format, locale=locale).pattern)
    return locale, frame, time, date


def format_datetime(moment: datetime, format: str = "medium") -> str:
    """A moment in the user's language and time zone, as Flask-Babel's format_datetime writes it."""
    locale = flask_babel.get_locale()
    if locale is None or format not in _NAMED_FORMATS or moment is None:
        return flask_babel.format_datetime(moment, format)
    babel_locale, frame, time, date = _datetime_patterns(locale.language, locale.territory, format)
    if moment.tzinfo is None:  # Babel reads a naive moment as UTC
        moment = moment.replace(tzinfo=UTC)
    zone = flask_babel.get_timezone()
    local = moment.astimezone(zone)
    if hasattr(zone, "normalize"):  # pytz, as Babel does
        local = zone.normalize(local)
    return frame.replace("{0}", time.apply(local, babel_locale)).replace(
        "{1}", date.apply(local, babel_locale)
    )


@cache
def _date_locale(language: str, territory: str | None) -> Locale:
    return Locale(language, _territory(language, territory))


def format_date(day: date | datetime | None = None, format: str = "medium") -> str:
    """A date in the user's language, day before month in English too ("24 Dec 2026").

    Flask-Babel's format_date with the British territory for English: a moment is first
    moved to the user's time zone, a named format or a pattern ("MMM yyyy") both work.
    """
    locale = flask_babel.get_locale()
    if locale is None:
        return flask_babel.format_date(day, format)
    if isinstance(day, datetime):
        if day.tzinfo is None:
            day = day.replace(tzinfo=UTC)
        day = day.astimezone(flask_babel.get_timezone())
    return dates.format_date(day, format, locale=_date_locale(locale.language, locale.territory))
