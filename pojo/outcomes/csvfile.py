"""Reading an outcomes CSV: the file's shape, and each row's fields.

Problems with the whole file (not UTF-8, wrong columns, too large, broken
quoting) raise CsvFileError naming the line; problems with one row (a bad
date or score, an empty field) reject that row with its line number, so the
preview can show them and the user decides whether to apply the rest.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from pojo.formatting import format_points
from pojo.outcomes import rules
from pojo.outcomes.service import OutcomeInput, Rejection

COLUMNS = ("external_id", "employee", "kind", "score", "occurred_at")
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000


_SCORE = re.compile(r"-?[0-9]{1,6}")


class CsvFileError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class CsvContent:
    rows: list[OutcomeInput]
    # Rows whose fields cannot be read, with the reason `invalid`.
    rejected: list[Rejection]


def decode(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark) only.

    `max_bytes` is the largest file accepted (the history import's command takes larger ones).
    """
    if len(data) > max_bytes:
        raise CsvFileError(
            _(
                "The file is larger than %(mb)s MB; split it into smaller files.",
                mb=max_bytes // (1024 * 1024),
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CsvFileError(
            _(
                "Line %(line)s is not UTF-8 text. Save the file as 'CSV UTF-8' and upload it again.",
                line=line,
            )
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CsvFileError(
            _("Line %(line)s contains a NUL character: this is not a CSV file.", line=line)
        )
    return text


def _dialect(first_line: str) -> str:
    # Spreadsheets set to Finnish write semicolons.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _parse_time(text: str, zone: ZoneInfo) -> datetime:
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _row(line: int, fields: dict[str, str], zone: ZoneInfo) -> OutcomeInput:
    """One row's fields, or ValueError with the reason."""
    for name in COLUMNS:
        if name != "score" and not fields[name]:
            raise ValueError(_("%(field)s is empty.", field=name))
    if len(fields["external_id"]) > 128:
        raise ValueError(_("external_id is longer than 128 characters."))
    if len(fields["employee"]) > 64:
        raise ValueError(_("employee is longer than 64 characters."))
    kind = fields["kind"].lower()
    if not rules.valid_kind(kind):
        raise ValueError(
            _("kind %(kind)s is not a short lower-case code like nps.", kind=fields["kind"][:40])
        )
    score = None
    if fields["score"]:
        if not _SCORE.fullmatch(fields["score"]):
            raise ValueError(
                _("score %(score)s is not a whole number.", score=fields["score"][:20])
            )
        score = int(fields["score"])
        if not rules.valid_score(score):
            raise ValueError(
                _(
                    "score %(score)s is outside %(min)s–%(max)s.",
                    score=score,
                    min=rules.SCORE_MIN,
                    max=rules.SCORE_MAX,
                )
            )
    try:
        occurred_at = _parse_time(fields["occurred_at"], zone)
    except (ValueError, OverflowError):
        raise ValueError(
            _(
                "occurred_at %(value)s is not an ISO 8601 date and time, e.g. 2026-11-20T14:05:00+02:00.",
                value=fields["occurred_at"][:40],
            )
        ) from None
    return OutcomeInput(
        position=line,
        external_id=fields["external_id"],
        employee=fields["employee"],
        kind=kind,
        score=score,
        occurred_at=occurred_at,
    )


def read(text: str, zone: ZoneInfo) -> CsvContent:
    """Parse a decoded file; times without an offset are in `zone` (the site's)."""
    rows, rejected = read_table(text, COLUMNS, lambda line, fields: _row(line, fields, zone))
    return CsvContent(rows=rows, rejected=rejected)


def read_table(
    text: str, columns, parse_row, max_rows: int = MAX_ROWS
) -> tuple[list, list[Rejection]]:
    """A decoded CSV file with exactly these `columns` (any order, either delimiter).

    `parse_row(line, fields)` makes each row or raises ValueError, which rejects
    that line with its number; a row of the wrong width is rejected too.
    CsvFileError for a file that cannot be read as a whole. Also read by the
    shifts import.
    """
    if not text.strip():
        raise CsvFileError(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text.split("\n", 1)[0]))
    rows: list = []
    rejected: list[Rejection] = []
    try:
        header = [name.strip().lower() for name in next(reader)]
        missing = [name for name in columns if name not in header]
        unknown = [name for name in header if name not in columns]
        if missing or unknown or len(header) != len(columns):
            raise CsvFileError(
                _(
                    "Line 1 must name the columns %(columns)s. Missing: %(missing)s. Not expected: %(unknown)s.",
                    columns=", ".join(columns),
                    missing=", ".join(missing) or "–",
                    unknown=", ".join(name[:40] for name in unknown[:5]) or "–",
                )
            )
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(rows) + len(rejected) >= max_rows:
                raise CsvFileError(
                    _("The file has more than %(n)s rows; split it.", n=format_points(max_rows))
                )
            if len(values) != len(header):
                rejected.append(
                    Rejection(
                        line,
                        "invalid",
                        _(
                            "%(found)s fields where %(expected)s were expected.",
                            found=len(values),
                            expected=len(header),
                        ),
                    )
                )
                continue
            fields = {name: value.strip() for name, value in zip(header, values, strict=True)}
            try:
                rows.append(parse_row(line, fields))
            except ValueError as error:
                rejected.append(Rejection(line, "invalid", str(error)))
    except csv.Error as error:
        raise CsvFileError(
            _("Line %(line)s cannot be read as CSV: %(reason)s", line=reader.line_num, reason=error)
        ) from None
    if not rows and not rejected:
        raise CsvFileError(_("The file has a header but no rows."))
    return rows, rejected
