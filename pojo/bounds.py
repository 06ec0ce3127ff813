"""How large each integer people send may be, and the one way every entry point bounds it.

Every integer column is a 32-bit ``integer`` on PostgreSQL: a larger number
reaching a query is an "integer out of range" error, a 500. So no integer
enters unbounded. URL parts are bounded by the ``<int:...>`` converter
(``pojo.RowIdConverter``), query strings by :func:`query_int` (only names
listed in :data:`QUERY_INTEGERS`), forms by :class:`WholeNumberField`, JSON
bodies and API query strings by ``pojo.api.schema.Integer.within`` with the
same constants, which also puts ``minimum``/``maximum`` in the OpenAPI
document. ``tests/test_bounds.py`` sends 2^31, 2^63, 10^20, -1 and "1e3" to
every one of them.
"""

import re
from dataclasses import dataclass

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import StopValidation, ValidationError

from pojo.formatting import format_points


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
EXPECTED_PER_30D = Bound(1, 100_000)
PER_PERSON_LIMIT = Bound(1, 1000)
PAGE = Bound(1, 100_000)
PAGE_SIZE = Bound(1, 200)

# Every integer a page reads from its query string, by name: one name, one meaning.
QUERY_INTEGERS = {"before": ROW_ID, "page": PAGE, "limit": PAGE_SIZE}

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
