"""Reading a history CSV: `employee, at, kind, points, reward, note`, one row a line.

The file's shape and the decoding are the outcomes import's helpers
(`pojo.outcomes.csvfile`); this module reads each row's fields, or rejects
the row with its line number. Rows are small tuples, not ORM objects, so a
million of them parse in seconds.
"""

import re
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from pojo.bounds import HISTORY_POINTS
from pojo.formatting import format_points
from pojo.outcomes.csvfile import read_table

COLUMNS = ("employee", "at", "kind", "points", "reward", "note")
KINDS = ("award", "redemption")
# The earliest history accepted: older dates are typing mistakes.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
NOTE_MAX = 500
REWARD_MAX = 120

_POINTS = re.compile(r"[0-9]{1,12}")


class HistoryRow(NamedTuple):
    line: int
    employee: str
    at: datetime  # aware UTC
    kind: str
    points: int  # positive: an award adds it, a redemption takes it
    reward: str  # "" for an award
    note: str


def _points(value: str) -> int:
    if not _POINTS.fullmatch(value):
        raise ValueError(
            _("points %(value)s is not a positive whole number.", value=value[:20] or "–")
        )
    points = int(value)
    if not HISTORY_POINTS.holds(points):
        raise ValueError(
            _(
                "points %(value)s is outside %(min)s–%(max)s.",
                value=value[:20],
                min=HISTORY_POINTS.minimum,
                max=format_points(HISTORY_POINTS.maximum),
            )
        )
    return points


def _moment(value: str, zone: ZoneInfo, now: datetime) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(
            _(
                "at %(value)s is not an ISO 8601 date and time, e.g. 2025-11-20T14:05:00+02:00.",
                value=value[:40] or "–",
            )
        ) from None
    if parsed > now:
        raise ValueError(_("at %(value)s is in the future.", value=value[:40]))
    if parsed < EARLIEST:
        raise ValueError(_("at %(value)s is before the year 2000.", value=value[:40]))
    return parsed


def parse_row(line: int, fields: dict[str, str], zone: ZoneInfo, now: datetime) -> HistoryRow:
    """One row's fields, or ValueError with the reason."""
    employee = fields["employee"].lower()
    if not employee:
        raise ValueError(_("%(field)s is empty.", field="employee"))
    if len(employee) > 64:
        raise ValueError(_("employee is longer than 64 characters."))
    kind = fields["kind"].lower()
    if kind not in KINDS:
        raise ValueError(
            _("kind %(kind)s is neither award nor redemption.", kind=fields["kind"][:40] or "–")
        )
    points = _points(fields["points"])
    at = _moment(fields["at"], zone, now)
    reward = " ".join(fields["reward"].split())
    if kind == "redemption" and not reward:
        raise ValueError(_("A redemption needs the reward's name."))
    if kind == "award" and reward:
        raise ValueError(_("An award names no reward; leave reward empty."))
    if len(reward) > REWARD_MAX:
        raise ValueError(_("reward is longer than %(n)s characters.", n=REWARD_MAX))
    note = fields["note"]
    if len(note) > NOTE_MAX:
        raise ValueError(_("note is longer than %(n)s characters.", n=NOTE_MAX))
    return HistoryRow(line, employee, at, kind, points, reward, note)


def read(text: str, zone: ZoneInfo, now: datetime, max_rows: int):
    """(rows, rejected) of a decoded file; CsvFileError for a file unreadable as a whole."""
    return read_table(
        text, COLUMNS, lambda line, fields: parse_row(line, fields, zone, now), max_rows=max_rows
    )
