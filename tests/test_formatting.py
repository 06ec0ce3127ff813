"""Pojo's number and moment formatting writes exactly what Babel writes, only faster."""

from datetime import UTC, datetime, timedelta

import flask_babel
import pytest
from flask_babel import force_locale

from pojo.formatting import format_datetime, format_points

# Across both of Helsinki's clock changes, at every hour of two days, and some odd minutes.
MOMENTS = [
    start + timedelta(hours=hour, minutes=minute)
    for start in (datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 10, 24, tzinfo=UTC))
    for hour in range(48)
    for minute in (0, 7, 59)
]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_points_read_as_babel_writes_them(app, language):
    values = [0, 1, -1, 999, 1000, -1000, 1234567, -1234567, 10**12, -(10**12)]
    with app.test_request_context(), force_locale(language):
        for value in values + list(range(-2100, 2100, 7)):
            assert format_points(value) == flask_babel.format_decimal(value, format="#,##0")
        assert format_points(None) == "–"


@pytest.mark.parametrize("language", ["fi", "en"])
@pytest.mark.parametrize("form", ["short", "medium", "long", "full"])
def test_moments_read_as_babel_writes_them(app, language, form):
    # English is written as in Britain (day first, 24-hour clock): Babel's en_GB.
    written_as = {"en": "en_GB"}.get(language, language)
    with app.test_request_context():
        with force_locale(language):
            ours = [format_datetime(moment, form) for moment in MOMENTS]
            naive = format_datetime(datetime(2026, 6, 1, 12, 30), form)
        with force_locale(written_as):
            assert ours == [flask_babel.format_datetime(moment, form) for moment in MOMENTS]
            assert naive == flask_babel.format_datetime(datetime(2026, 6, 1, 12, 30), form)
