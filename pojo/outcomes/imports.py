"""CSV imports of outcomes: upload, preview, and apply only on explicit confirmation."""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from pojo.database import utcnow
from pojo.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from pojo.extensions import db
from pojo.outcomes import csvfile
from pojo.outcomes.models import OutcomeImport
from pojo.outcomes.service import RECORDERS, Plan, Recorded, apply_plan, plan_outcomes
from pojo.people.models import Employee

# Uploads that were previewed but never applied are dropped after this.
UNAPPLIED_KEPT = timedelta(days=1)


class RejectedRows(DomainError):
    code = "rejected_rows"


@dataclass
class Preview:
    rows: int
    plan: Plan
    # (line, reason), in line order
    rejected: list[tuple[int, str]]


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def _read(text: str) -> csvfile.CsvContent:
    try:
        return csvfile.read(text, _zone())
    except csvfile.CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None


def decode(data: bytes) -> str:
    try:
        return csvfile.decode(data)
    except csvfile.CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None


def preview_text(actor: Employee | None, text: str) -> Preview:
    """What importing this file would do; nothing is written."""
    content = _read(text)
    plan = plan_outcomes(actor, content.rows)
    return Preview(
        rows=len(content.rows) + len(content.rejected),
        plan=plan,
        rejected=sorted(content.rejected + plan.rejected),
    )


def apply_text(
    actor: Employee | None, text: str, *, skip_invalid: bool
) -> tuple[Preview, Recorded]:
    """Import a file; with rejected rows only when `skip_invalid` confirms it."""
    preview = preview_text(actor, text)
    if preview.rejected and not skip_invalid:
        raise RejectedRows(
            ngettext(
                "%(num)s row is rejected. Confirm that only the valid rows are applied, or fix the file.",
                "%(num)s rows are rejected. Confirm that only the valid rows are applied, or fix the file.",
                len(preview.rejected),
            )
        )
    recorded = apply_plan(actor, preview.plan, "csv")
    recorded.rejected = preview.rejected
    return preview, recorded


def upload(actor: Employee, filename: str, data: bytes) -> OutcomeImport:
    """Keep an uploaded file for its preview; a file that is not a usable CSV is refused now."""
    if actor.role not in RECORDERS:
        raise Forbidden(_("Only supervisors, HR and admin import outcomes."))
    text = decode(data)
    _read(text)
    db.session.execute(
        delete(OutcomeImport).where(
            OutcomeImport.uploaded_by_id == actor.id,
            OutcomeImport.applied_at.is_(None),
            OutcomeImport.created_at < utcnow() - UNAPPLIED_KEPT,
        )
    )
    made = OutcomeImport(
        uploaded_by=actor, filename=(filename or "outcomes.csv")[:255], content=text
    )
    db.session.add(made)
    db.session.flush()
    return made


def get_upload(actor: Employee, upload_id: int, *, lock: bool = False) -> OutcomeImport:
    """An upload its uploader (or HR and admin) may see."""
    query = select(OutcomeImport).where(OutcomeImport.id == upload_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    found = db.session.scalars(query).one_or_none()
    if found is None or (found.uploaded_by_id != actor.id and actor.role not in ("hr", "admin")):
        raise NotFound(_("No such import."))
    return found


def apply_upload(actor: Employee, upload_id: int, *, skip_invalid: bool) -> Recorded:
    """Apply a previewed upload once; a second confirmation is refused."""
    found = get_upload(actor, upload_id, lock=True)
    if found.applied_at is not None:
        raise Conflict(_("This file was already applied."))
    text = found.content
    _preview, recorded = apply_text(actor, text, skip_invalid=skip_invalid)
    found = get_upload(actor, upload_id)
    found.applied_at = utcnow()
    db.session.flush()
    return recorded
