"""CSV imports of outcomes: upload, preview, and apply only on explicit confirmation.

HR and admin apply their own uploads at once. A supervisor submits an
upload; someone else from HR or admin then applies or rejects it (four
eyes), and the supervisor is told which. Every confirmation plans the file
again against today's data (teams, self-award, age, external ids already
recorded), so nothing stale is applied.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RejectedRows
from pojo.extensions import db
from pojo.notifications.service import link_to, notify, notify_many
from pojo.outcomes import csvfile
from pojo.outcomes.models import OutcomeImport
from pojo.outcomes.policy import APPLY_OUTCOMES, APPROVE_IMPORTS, RECORD_OUTCOMES, VIEW_IMPORT
from pojo.outcomes.recording import Recorded, apply_plan
from pojo.outcomes.service import (
    Plan,
    Rejection,
    plan_outcomes,
)
from pojo.people.models import Employee
from pojo.policy import can, require
from pojo.rows import get_row, lock_row, site_zone
from pojo.unit_of_work import delete_in_batches

# Uploads that were previewed but never submitted or applied are dropped after this.
UNAPPLIED_KEPT = timedelta(days=1)
REASON_MAX_LENGTH = 500


@dataclass
class Confirmed:
    """What confirming an upload did: applied it (`recorded`) or submitted it for approval."""

    upload: OutcomeImport
    recorded: Recorded | None


@dataclass
class Preview:
    rows: int
    plan: Plan
    # in line order
    rejected: list[Rejection]


def _read(text: str) -> csvfile.CsvContent:
    try:
        return csvfile.read(text, site_zone())
    except csvfile.CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None


def decode(data: bytes) -> str:
    try:
        return csvfile.decode(data)
    except csvfile.CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None


def preview_text(actor: Employee | None, text: str, *, approver: Employee | None = None) -> Preview:
    """What importing this file as `actor` (approved by `approver`) would do; nothing is written."""
    content = _read(text)
    plan = plan_outcomes(actor, content.rows, approver=approver)
    return Preview(
        rows=len(content.rows) + len(content.rejected),
        plan=plan,
        rejected=sorted(content.rejected + plan.rejected),
    )


def _refuse_rejected(preview: Preview, skip_invalid: bool) -> None:
    if preview.rejected and not skip_invalid:
        raise RejectedRows(
            ngettext(
                "%(num)s row is rejected. Confirm that only the valid rows are applied, or fix the file.",
                "%(num)s rows are rejected. Confirm that only the valid rows are applied, or fix the file.",
                len(preview.rejected),
            )
        )


def _abandoned(before: datetime) -> tuple:
    """Uploads previewed before `before` and never submitted, applied or rejected.

    Submitted imports wait for HR however long it takes, and a decision is kept:
    only abandoned previews go.
    """
    return (
        OutcomeImport.applied_at.is_(None),
        OutcomeImport.submitted_at.is_(None),
        OutcomeImport.rejected_at.is_(None),
        OutcomeImport.created_at < before,
    )


def prune_abandoned(day_start: datetime) -> int:
    """Delete everyone's abandoned previews a day old at `day_start` (the nightly job)."""
    return delete_in_batches(OutcomeImport, *_abandoned(day_start - UNAPPLIED_KEPT))


def upload(actor: Employee, filename: str, data: bytes) -> OutcomeImport:
    """Keep an uploaded file for its preview; a file that is not a usable CSV is refused now."""
    require(actor, RECORD_OUTCOMES, message=_("Only supervisors, HR and admin import outcomes."))
    text = decode(data)
    _read(text)
    db.session.execute(
        delete(OutcomeImport).where(
            OutcomeImport.uploaded_by_id == actor.id, *_abandoned(utcnow() - UNAPPLIED_KEPT)
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
    found = (lock_row if lock else get_row)(OutcomeImport, upload_id)
    if found is None:
        raise NotFound(_("No such import."))
    require(actor, VIEW_IMPORT, found)
    return found


def _approver(actor: Employee, found: OutcomeImport) -> Employee | None:
    """Who approves when `actor` applies this upload: None when it is their own."""
    return None if actor.id == found.uploaded_by_id else actor


def preview_upload(actor: Employee, found: OutcomeImport) -> Preview:
    """The upload's preview as it would be applied now, with `actor` as its approver if not theirs."""
    return preview_text(found.uploaded_by, found.content, approver=_approver(actor, found))


def _check_decidable(actor: Employee, found: OutcomeImport) -> None:
    if found.status == "applied":
        raise Conflict(_("This file was already applied."))
    if found.status == "rejected":
        raise Conflict(_("This import was rejected."))
    if found.status == "pending" and not can(actor, APPROVE_IMPORTS, found):
        if actor.id == found.uploaded_by_id:
            raise Conflict(_("This import waits for someone else from HR or admin to approve it."))
        raise Forbidden(_("Only HR and admin approve imports."))
    if found.status == "previewed" and actor.id != found.uploaded_by_id:
        raise Conflict(_("Its uploader has not submitted this import yet."))


def confirm_upload(actor: Employee, upload_id: int, *, skip_invalid: bool) -> Confirmed:
    """Confirm an upload: HR and admin apply their own, supervisors submit theirs,
    and HR or admin apply a submitted one. It applies once, however often it is confirmed."""
    found = get_upload(actor, upload_id, lock=True)
    _check_decidable(actor, found)
    uploader = found.uploaded_by
    approver = _approver(actor, found)
    preview = preview_upload(actor, found)
    _refuse_rejected(preview, skip_invalid)
    if approver is None and not can(actor, APPLY_OUTCOMES):
        if not preview.plan.new:
            raise DomainError(_("Nothing new to apply."))
        found.submitted_at = utcnow()
        db.session.flush()
        _tell_approvers(found)
        return Confirmed(upload=found, recorded=None)
    before = {"status": found.status}
    found.applied_at = utcnow()
    found.decided_by = actor
    db.session.flush()
    recorded = apply_plan(uploader, preview.plan, "csv", import_id=found.id)
    recorded.rejected = preview.rejected
    audit.record(
        actor,
        "outcomes.applied",
        _subject(found),
        {**before, "uploaded_by": uploader.username},
        {
            "status": "applied",
            "uploaded_by": uploader.username,
            "outcomes": recorded.accepted,
            "points": recorded.points_awarded,
            "skipped_rows": len(preview.rejected),
        },
    )
    found = get_upload(actor, upload_id)
    if approver is not None:
        _tell_uploader(found, actor, outcomes=recorded.accepted, points=recorded.points_awarded)
    return Confirmed(upload=found, recorded=recorded)


def reject_upload(actor: Employee, upload_id: int, reason: str = "") -> OutcomeImport:
    """HR or admin turn a submitted upload down; nothing is recorded and its uploader is told why."""
    found = get_upload(actor, upload_id, lock=True)
    _check_decidable(actor, found)
    if not can(actor, APPROVE_IMPORTS, found):
        raise Conflict(_("Only a submitted import can be rejected."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            _("The reason is too long: at most %(n)s characters.", n=REASON_MAX_LENGTH),
            field="reason",
        )
    before = {"status": found.status, "uploaded_by": found.uploaded_by.username}
    found.rejected_at = utcnow()
    found.decided_by = actor
    found.rejection_reason = reason or None
    db.session.flush()
    audit.record(
        actor,
        "outcomes.rejected",
        _subject(found),
        before,
        {**before, "status": "rejected", "reason": reason or None},
    )
    _tell_uploader(found, actor, rejected=True, reason=reason)
    return found


def _subject(found: OutcomeImport) -> audit.Subject:
    return audit.Subject("import", found.id, f"{found.filename} (#{found.id})")


def _tell_uploader(found: OutcomeImport, actor: Employee, **decision) -> None:
    """Tell whoever uploaded the file what HR or admin decided about it."""
    notify(
        found.uploaded_by_id,
        "outcome_import_decided",
        link_to("outcomes.preview", upload_id=found.id),
        file=found.filename,
        who=actor.display_name,
        **decision,
    )


def _tell_approvers(found: OutcomeImport) -> None:
    approvers = db.session.scalars(
        select(Employee.id).where(
            Employee.role.in_(APPROVE_IMPORTS.roles),
            Employee.active.is_(True),
            Employee.id != found.uploaded_by_id,
        )
    )
    notify_many(
        "outcome_import_pending",
        [
            (employee_id, {"who": found.uploaded_by.display_name, "file": found.filename})
            for employee_id in approvers
        ],
        link=link_to("outcomes.preview", upload_id=found.id),
    )
