"""How large what people send may be: each integer, and a request body without a length.

Every integer column is a 32-bit ``integer`` on PostgreSQL: a larger number
reaching a query is an "integer out of range" error, a 500. So no integer
enters unbounded. URL parts are bounded by the ``<int:...>`` converter
(:class:`RowIdConverter`), query strings by :func:`query_int` (only names
listed in :data:`QUERY_INTEGERS`), forms by :class:`WholeNumberField`, JSON
bodies and API query strings by ``pojo.api.fields.Whole`` with the
same constants, which also puts ``minimum``/``maximum`` in the OpenAPI
document. ``tests/test_bounds.py`` sends 2^31, 2^63, 10^20, -1 and "1e3" to
every one of them.

:class:`ChunkedBodyLimit` holds a chunked body (no Content-Length) to
``MAX_CONTENT_LENGTH`` like any other, so it is refused with 413 rather than
silently cut at the limit.
"""

import re
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField, StringField
from wtforms.validators import StopValidation, ValidationError

from pojo.formatting import format_cents, format_points


@dataclass(frozen=True)
class Bound:
    """The whole numbers from `minimum` to `maximum`, both included."""

    minimum: int
    maximum: int

    def holds(self, value) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.minimum <= value <= self.maximum
        )


# What a PostgreSQL `integer` column holds.
INT32 = Bound(-(2**31), 2**31 - 1)
# A row id (every primary and foreign key).
ROW_ID = Bound(1, INT32.maximum)
# A point count that is stored but not chosen by a person (balances, ledger sums).
BALANCE = Bound(0, INT32.maximum)
# The most points a buyer accepts to pay: any price the column can record.
ACCEPTED_PRICE = Bound(1, INT32.maximum)
# Prices HR sets on a reward (base, floor, ceiling).
PRICE = Bound(1, 1_000_000)
# The points one criterion is worth.
CRITERION_POINTS = Bound(1, 100_000)
# A team's monthly award budget (0 stops awards).
BUDGET = Bound(0, 10_000_000)
STOCK = Bound(0, 1_000_000)
# The points of one row of imported history (an award or a redemption).
HISTORY_POINTS = Bound(1, 1_000_000)
EXPECTED_PER_30D = Bound(1, 1000)
# The most one redemption raises a price, in percent, and demand's half-life in days.
MAX_STEP_PCT = Bound(1, 25)
HALF_LIFE_DAYS = Bound(3, 60)
PER_PERSON_LIMIT = Bound(1, 1000)
PAGE = Bound(1, 100_000)
# How far ahead HR may extend a temp's contract, in days from today.
CONTRACT_EXTENSION_DAYS = Bound(1, 3 * 366)
PAGE_SIZE = Bound(1, 200)
# The insights' window, in days: a week to ten years.
WINDOW_DAYS = Bound(7, 3660)
# HR's rate for the points liability, in euro cents per 100 points.
EURO_CENTS_PER_100_POINTS = Bound(0, 1_000_000)
# A reward's value in euro cents, for payroll (0 to 100 000 euros).
VALUE_CENTS = Bound(0, 10_000_000)
# The income-type code of a payroll system (e.g. the Incomes Register's "201"), in characters.
INCOME_TYPE_CODE_LENGTH = 32
# The most months one payroll export covers.
PAYROLL_MONTHS = 24
# The most rows each part of an employee's personal data download holds (newest first).
PERSONAL_DATA_ROWS = 5000
# The most audit log entries one CSV export holds (newest first, as filtered).
AUDIT_EXPORT_ROWS = 10_000
# The longest `next` a redirect follows: longer than any page's path and query.
NEXT_PATH_LENGTH = 2000

# Every integer a page reads from its query string, by name: one name, one meaning.
QUERY_INTEGERS = {"before": ROW_ID, "page": PAGE, "limit": PAGE_SIZE, "team": ROW_ID}

# Plain decimal digits only: "1e3", "3.5", "0x10" and "1_000" are not whole numbers here.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


def parse_whole_number(text: str | None, bound: Bound) -> int | None:
    """`text` as an integer within `bound`, else None (blank, garbage, or out of range)."""
    if text is None or not WHOLE_NUMBER.fullmatch(text.strip()):
        return None
    value = int(text)
    return value if bound.holds(value) else None


def query_int(name: str, default: int | None = None) -> int | None:
    """The query-string integer `name`, or `default` when absent, malformed or out of range.

    Pages treat a bad number like no number (the first page, the newest
    entries), which is what a mistyped or stale link most likely meant.
    """
    value = parse_whole_number(request.args.get(name), QUERY_INTEGERS[name])
    return default if value is None else value


WHOLE_NUMBER_MESSAGE = _l("A whole number from %(min)s to %(max)s.")


def whole_number_message(bound: Bound) -> str:
    """The error for a number outside `bound`, with the numbers as the user's locale writes them."""
    return WHOLE_NUMBER_MESSAGE % {
        "min": format_points(bound.minimum),
        "max": format_points(bound.maximum),
    }


class WholeNumberField(IntegerField):
    """A form's integer, within `bound`; the only integer field Pojo's forms use.

    Anything else (0 below the minimum, 3.5, 1e3, -1, 10^20, or blank when
    required) gets one message saying what is accepted, not "required". The
    browser gets the same limits as min/max/step attributes.
    """

    def __init__(self, label=None, bound: Bound = INT32, *, required: bool = True, **kwargs):
        super().__init__(label, **kwargs)
        self.bound = bound
        self.required = required
        self.flags.required = required
        self.flags.min = bound.minimum
        self.flags.max = bound.maximum
        self.flags.step = 1

    def process_formdata(self, valuelist):
        self.data = parse_whole_number(valuelist[0], self.bound) if valuelist else None

    def pre_validate(self, form):
        if self.data is not None:
            return
        blank = not self.raw_data or not str(self.raw_data[0]).strip()
        if blank and not self.required:
            raise StopValidation()  # an optional field left empty: no further checks
        raise ValidationError(whole_number_message(self.bound))


# Euros as people type them: "12", "12,50", "12.5", "1 250,00"; at most two decimals.
EUROS = re.compile(r"([0-9]{1,9})(?:[.,]([0-9]{1,2}))?")


def parse_euros(text: str | None, bound: Bound = VALUE_CENTS) -> int | None:
    """`text` in euros ("12,50" or "12.50") as whole cents within `bound`, else None."""
    if text is None:
        return None
    digits = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    match = EUROS.fullmatch(digits)
    if not match:
        return None
    cents = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    return cents if bound.holds(cents) else None


class EuroField(StringField):
    """An optional amount in euros, kept as whole cents within `bound` (None when left empty)."""

    def __init__(self, label=None, bound: Bound = VALUE_CENTS, **kwargs):
        super().__init__(label, **kwargs)
        self.bound = bound

    def process_formdata(self, valuelist):
        self.data = parse_euros(valuelist[0], self.bound) if valuelist else None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_cents(self.data)

    def pre_validate(self, form):
        if self.data is not None:
            return
        if not self.raw_data or not str(self.raw_data[0]).strip():
            raise StopValidation()  # left empty: no value
        raise ValidationError(EURO_MESSAGE % {"max": format_cents(self.bound.maximum)})


EURO_MESSAGE = _l("An amount in euros such as 12,50, from 0 to %(max)s.")


class ChunkedBodyLimit:
    """WSGI middleware: a body sent without Content-Length is held to MAX_CONTENT_LENGTH.

    Werkzeug checks a declared Content-Length against the limit, but reads a
    chunked body only up to the limit and hands over what it read, so a JSON
    body was cut and refused as malformed. This reads at most limit + 1 bytes
    first. A body within the limit is passed on with its length, as if it had
    declared one; a longer one is passed on as an empty body declaring that
    it is too long, so Flask answers with its 413 (the API's `too_large`
    error, the error page on HTML). The rest of a too-long body is read and
    dropped up to the limit again, so an ordinary client that sends before it
    reads gets the 413 rather than a reset connection.
    """

    CHUNK = 64 * 1024

    def __init__(self, wsgi_app, config):
        self.wsgi_app = wsgi_app
        self.config = config

    def _copy(self, stream, target, most: int) -> int:
        copied = 0
        while copied < most:
            chunk = stream.read(min(self.CHUNK, most - copied))
            if not chunk:
                break
            if target is not None:
                target.write(chunk)
            copied += len(chunk)
        return copied

    def __call__(self, environ, start_response):
        limit = self.config.get("MAX_CONTENT_LENGTH")
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if limit is None or not chunked or environ.get("CONTENT_LENGTH"):
            return self.wsgi_app(environ, start_response)
        stream = environ["wsgi.input"]
        # Flask reads the body while the view runs, so it may be closed once the view returned.
        with SpooledTemporaryFile(max_size=1024 * 1024) as body:
            length = self._copy(stream, body, limit + 1)
            if length > limit:
                self._copy(stream, None, limit)
                body.truncate(0)
            body.seek(0)
            environ["wsgi.input"] = body
            # From here on it is a plain body of known length (Werkzeug ignores the
            # length of a body that still says it is chunked).
            environ["CONTENT_LENGTH"] = str(length)
            environ.pop("HTTP_TRANSFER_ENCODING")
            environ.pop("wsgi.input_terminated", None)
            return self.wsgi_app(environ, start_response)


class RowIdConverter(IntegerConverter):
    """An int URL part bounded to what an integer key column holds (else 404, not a crash)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", ROW_ID.maximum)
        super().__init__(map, *args, **kwargs)


# The most rows one retention batch deletes, each batch its own transaction (pojo.jobs.retention).
PRUNE_BATCH_ROWS = 1000

# The most characters a list's search box takes, and the words of it that are matched.
SEARCH_LENGTH = 100
SEARCH_WORDS = 5
