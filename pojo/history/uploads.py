"""The import pages' operations: keep an upload for its preview, and apply it on confirmation.

An upload is previewed again when applied (against today's data), so nothing
stale is applied. Uploads never applied are dropped after a day.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete

from pojo.database import utcnow
from pojo.errors import Conflict, NotFound
from pojo.extensions import db
from pojo.history import background, service, users
from pojo.history.models import HistoryImport
from pojo.insights.policy import IMPORT_HISTORY
from pojo.people.models import Employee
from pojo.policy import require
from pojo.rows import get_row, lock_row
from pojo.unit_of_work import delete_in_batches

UNAPPLIED_KEPT = timedelta(days=1)


@dataclass
class Applied:
    found: HistoryImport
    # users: (username, set-password path) for each new account, shown once
    links: list[tuple[str, str]]
    preview: "users.UsersPreview | None" = None
    # True: a long history upload now applies in the background (see history.background).
    running: bool = False


def _unapplied(before: datetime) -> tuple:
    """Files uploaded before `before` and never applied (an applied one is the ledger's source)."""
    return (HistoryImport.applied_at.is_(None), HistoryImport.created_at < before)


def prune_unapplied(day_start: datetime) -> int:
    """Delete everyone's unapplied uploads a day old at `day_start` (the nightly job).

    A background run's progress row goes with its upload (ON DELETE CASCADE).
    """
    return delete_in_batches(HistoryImport, *_unapplied(day_start - UNAPPLIED_KEPT))


def upload(actor: Employee, kind: str, filename: str, data: bytes) -> HistoryImport:
    """Keep an uploaded users or history file; one that is not a usable CSV is refused now."""
    require(actor, IMPORT_HISTORY)
    limit = users.MAX_BYTES if kind == "users" else service.PAGE_MAX_BYTES
    text = service.decode(data, limit)
    digest = service.sha256(data)
    if kind == "users":
        users.preview_text(actor, text)
    else:
        service.preview_text(actor, text, digest)
    db.session.execute(
        delete(HistoryImport).where(
            HistoryImport.uploaded_by_id == actor.id, *_unapplied(utcnow() - UNAPPLIED_KEPT)
        )
    )
    return service.new_import(actor, kind, filename, digest, content=text)


def get_upload(actor: Employee, upload_id: int, *, lock: bool = False) -> HistoryImport:
    require(actor, IMPORT_HISTORY)
    found = (lock_row if lock else get_row)(HistoryImport, upload_id)
    if found is None or found.content is None:
        raise NotFound(_("No such import."))
    return found


def preview_upload(actor: Employee, found: HistoryImport):
    """The users or history preview of an upload, as it would apply now."""
    if found.kind == "users":
        return users.preview_text(actor, found.content)
    return service.preview_text(actor, found.content, found.sha256)


def apply_upload(actor: Employee, upload_id: int, locale: str = "en") -> Applied:
    """Apply a previewed upload whole, or refuse it (rejected rows; already applied).

    A history upload above the background threshold is only marked "applying" here and
    applied by a thread after this request commits; its messages come in `locale`."""
    found = get_upload(actor, upload_id, lock=True)
    if found.applied_at is not None:
        raise Conflict(_("This file was already applied."))
    if background.goes_background(found):
        run = background.mark_applying(found)
        background.start(found.id, run.token, actor.id, locale)
        return Applied(found, [], running=True)
    preview = preview_upload(actor, found)
    if found.kind == "users":
        links = users.apply_preview(actor, preview)
        found.applied_at = utcnow()
        found.rows = preview.rows
        db.session.flush()
        return Applied(found, links, preview)
    if preview.already is not None:
        raise Conflict(service.already_message(preview.already))
    return Applied(service.apply_preview(actor, preview, found), [])


def recent(actor: Employee) -> list[HistoryImport]:
    from sqlalchemy import select

    require(actor, IMPORT_HISTORY)
    return list(
        db.session.scalars(
            select(HistoryImport)
            .where(HistoryImport.applied_at.is_not(None))
            .order_by(HistoryImport.id.desc())
            .limit(20)
        )
    )


def progress(actor: Employee, upload_id: int) -> dict:
    """How far applying an upload got: {"status", "stage", "done", "total", ...}."""
    return background.state(get_upload(actor, upload_id))
