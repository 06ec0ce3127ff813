"""Reading a history CSV: `employee, at, kind, points, reward, note`, one row a line.

The file's shape and the decoding are the outcomes import's helpers
(`pojo.outcomes.csvfile`); this module reads each row's fields, or rejects
the row with its line number. Rows are small tuples, not ORM objects, so a
million of them parse in seconds.
"""

import csv
import io
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext

from pojo.bounds import HISTORY_POINTS
from pojo.errors import RejectedRows
from pojo.formatting import format_points
from pojo.outcomes.csvfile import CsvFileError, _dialect, read_table
from pojo.outcomes.service import Rejection

COLUMNS = ("employee", "at", "kind", "points", "reward", "note")
KINDS = ("award", "redemption")
# The earliest history accepted: older dates are typing mistakes.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
NOTE_MAX = 500
REWARD_MAX = 120


class HistoryRow(NamedTuple):
    line: int
    employee: str
    at: datetime  # aware UTC
    kind: str
    points: int  # positive: an award adds it, a redemption takes it
    reward: str  # "" for an award
    note: str


def _points(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        raise ValueError(
            _("points %(value)s is not a positive whole number.", value=value[:20] or "–")
        )
    points = int(value)
    if not HISTORY_POINTS.minimum <= points <= HISTORY_POINTS.maximum:
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
        if parsed.utcoffset():
            parsed = parsed.astimezone(UTC)
        elif parsed.tzinfo is not UTC:
            parsed = parsed.replace(tzinfo=UTC)
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
    return parse_values(line, *(fields[name] for name in COLUMNS), zone=zone, now=now)


def parse_values(
    line: int,
    employee: str,
    at: str,
    kind: str,
    points: str,
    reward: str,
    note: str,
    *,
    zone: ZoneInfo,
    now: datetime,
) -> HistoryRow:
    """One row from its values in COLUMNS order, or ValueError with the reason."""
    employee = employee.strip().lower()
    if not employee:
        raise ValueError(_("%(field)s is empty.", field="employee"))
    if len(employee) > 64:
        raise ValueError(_("employee is longer than 64 characters."))
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise ValueError(_("kind %(kind)s is neither award nor redemption.", kind=kind[:40] or "–"))
    amount = _points(points.strip())
    moment = _moment(at.strip(), zone, now)
    if reward:
        reward = " ".join(reward.split())
    if kind == "redemption" and not reward:
        raise ValueError(_("A redemption needs the reward's name."))
    if kind == "award" and reward:
        raise ValueError(_("An award names no reward; leave reward empty."))
    if len(reward) > REWARD_MAX:
        raise ValueError(_("reward is longer than %(n)s characters.", n=REWARD_MAX))
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValueError(_("note is longer than %(n)s characters.", n=NOTE_MAX))
    return HistoryRow(line, employee, moment, kind, amount, reward, note)


def read(text: str, zone: ZoneInfo, now: datetime, max_rows: int):
    """(rows, rejected) of a decoded file; CsvFileError for a file unreadable as a whole.

    The file's header and its rules are `read_table`'s (checked on the first
    lines); the rows are then read by position, without a dict per row.
    """
    first_lines = "\n".join(text.split("\n", 3)[:3])
    read_table(first_lines, COLUMNS, lambda line, fields: None, max_rows=max_rows)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first_lines))
    header = [name.strip().lower() for name in next(reader)]
    order = [header.index(name) for name in COLUMNS]
    width = len(header)
    rows: list[HistoryRow] = []
    rejected: list[Rejection] = []
    append, parse = rows.append, parse_values
    try:
        for values in reader:
            if len(values) != width:
                if not any(value.strip() for value in values):
                    continue
                rejected.append(Rejection(reader.line_num, "invalid", _wrong_width(values, width)))
                continue
            if len(rows) + len(rejected) >= max_rows:
                raise CsvFileError(
                    _("The file has more than %(n)s rows; split it.", n=format_points(max_rows))
                )
            try:
                append(
                    parse(reader.line_num, *[values[index] for index in order], zone=zone, now=now)
                )
            except ValueError as error:
                if not any(value.strip() for value in values):
                    continue
                rejected.append(Rejection(reader.line_num, "invalid", str(error)))
    except csv.Error as error:
        raise CsvFileError(
            _("Line %(line)s cannot be read as CSV: %(reason)s", line=reader.line_num, reason=error)
        ) from None
    if not rows and not rejected:
        raise CsvFileError(_("The file has a header but no rows."))
    return rows, rejected


def _wrong_width(values: list[str], width: int) -> str:
    return _(
        "%(found)s fields where %(expected)s were expected.", found=len(values), expected=width
    )


def refuse_rejected(rejected: list) -> None:
    """A file with rejected rows applies nothing (history and users alike)."""
    if rejected:
        raise RejectedRows(
            ngettext(
                "%(num)s row is rejected, so nothing is imported: fix the file and upload it again.",
                "%(num)s rows are rejected, so nothing is imported: fix the file and upload it again.",
                len(rejected),
            )
        )
