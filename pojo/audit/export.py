"""The audit log as CSV: one row per changed field, so a spreadsheet filters it as the page does."""

import csv
import io
from collections.abc import Iterable

from pojo.audit.diff import changes, shown
from pojo.audit.models import AuditEntry

HEADINGS = (
    "id",
    "at",
    "actor",
    "action",
    "subject_kind",
    "subject_id",
    "subject",
    "field",
    "before",
    "after",
)
# A cell starting so is a formula to a spreadsheet: names and notes are people's text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else shown(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(entries: Iterable[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for entry in entries:
        head = [
            entry.id,
            entry.at.isoformat(),
            entry.actor.username if entry.actor else "",
            entry.action,
            entry.subject_kind,
            "" if entry.subject_id is None else entry.subject_id,
            _cell(entry.subject_label),
        ]
        found = changes(entry.before, entry.after)
        if not found:
            writer.writerow([*head, "", "", ""])
        for change in found:
            writer.writerow([*head, change.field, _cell(change.before), _cell(change.after)])
    return out.getvalue()
