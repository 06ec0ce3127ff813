"""Applying a large history upload in the background, with progress every worker can read.

The request that starts it marks the upload "applying" (an `ImportRun` with a
fresh token) and commits; a thread of that process then applies the upload in
its own app context and unit of work, whole or not at all, exactly as the
synchronous path does. Progress goes to the run row in short transactions of
their own, so any worker (any machine) answers the page's polling from the
database (`pojo.history.progress`: on PostgreSQL the run row itself; on
SQLite, whose one write lock the apply holds until it commits, a figures file
beside the database, laid over the run row).

A run whose row has not moved for `STALE_AFTER` is taken as dead (its worker
was killed; nothing of it was committed) and may be started again. A retry
is safe: it waits for the upload's row lock, and the unique `applied_sha256`
refuses a second apply of the file.
"""

import logging
import secrets
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from pojo.database import utcnow
from pojo.errors import Conflict, DomainError
from pojo.extensions import db
from pojo.history import service
from pojo.history.models import HistoryImport, ImportRun
from pojo.history.progress import figures, report
from pojo.insights.policy import IMPORT_HISTORY
from pojo.people.models import Employee
from pojo.policy import require
from pojo.rows import lock_row
from pojo.unit_of_work import unit_of_work

STALE_AFTER = timedelta(minutes=10)
# History uploads with more rows than this are applied in the background (config overrides).
DEFAULT_ROWS = 5_000

log = logging.getLogger(__name__)


def threshold() -> int:
    return current_app.config.get("HISTORY_BACKGROUND_ROWS", DEFAULT_ROWS)


def goes_background(found: HistoryImport) -> bool:
    """True for a history upload long enough to apply in the background."""
    return found.kind == "history" and found.content.count("\n") - 1 > threshold()


def is_stale(run: ImportRun) -> bool:
    """True for a run that has not moved for STALE_AFTER (its worker is gone)."""
    return run.status == "applying" and figures(run).updated_at < utcnow() - STALE_AFTER


def mark_applying(found: HistoryImport) -> ImportRun:
    """Claim the (locked) upload for a background run; refused while a live run has it."""
    run = db.session.get(ImportRun, found.id, populate_existing=True)
    if run is not None and run.status == "applying" and not is_stale(run):
        raise Conflict(_("This file is being applied: wait for it to finish."))
    if run is None:
        run = ImportRun(import_id=found.id)
        db.session.add(run)
    now = utcnow()
    run.token = secrets.token_hex(16)
    run.status, run.stage, run.message = "applying", "queued", None
    run.done, run.total = 0, max(found.content.count("\n") - 1, 0)
    run.started_at = run.updated_at = now
    db.session.flush()
    return run


def start(import_id: int, token: str, actor_id: int, locale: str) -> threading.Thread:
    """Start the run's thread; it waits for the starting request to commit (the row lock)."""
    app = current_app._get_current_object()
    thread = threading.Thread(
        target=_run,
        args=(app, import_id, token, actor_id, locale),
        name=f"history-import-{import_id}",
    )
    thread.start()
    return thread


def _write(import_id: int, token: str, **values) -> None:
    """Move the run row in a short transaction of its own (not the apply's)."""
    values["updated_at"] = utcnow()
    with db.engine.begin() as connection:
        connection.execute(
            update(ImportRun)
            .where(ImportRun.import_id == import_id, ImportRun.token == token)
            .values(**values)
        )


def _run(app, import_id: int, token: str, actor_id: int, locale: str) -> None:
    with app.app_context(), force_locale(locale):
        try:
            _write(import_id, token, stage="check")

            def progress(stage: str, done: int, total: int) -> None:
                report(import_id, token, stage, done, total)

            with unit_of_work():
                _apply(import_id, token, actor_id, progress)
            _write(import_id, token, status="done", stage="done")
        except DomainError as error:
            db.session.rollback()
            _write_quietly(
                import_id, token, status="failed", stage="failed", message=error.message[:500]
            )
        except Exception:
            log.exception("history import %s failed", import_id)
            db.session.rollback()
            message = _("The import failed and nothing of it was applied: try again.")
            _write_quietly(import_id, token, status="failed", stage="failed", message=message)
        finally:
            db.session.remove()


def _write_quietly(import_id: int, token: str, **values) -> None:
    try:
        _write(import_id, token, **values)
    except Exception:  # the database is gone: the run goes stale, and HR may retry
        log.exception("history import %s: progress not written", import_id)


def _apply(import_id: int, token: str, actor_id: int, progress) -> None:
    actor = db.session.get(Employee, actor_id)
    require(actor, IMPORT_HISTORY)
    found = lock_row(HistoryImport, import_id)
    run = db.session.get(ImportRun, import_id)
    if found is None or run is None or run.token != token or found.applied_at is not None:
        return  # a later retry took over, or this file is in already: nothing to do
    preview = service.preview_text(actor, found.content, found.sha256)
    if preview.already is not None:
        raise Conflict(service.already_message(preview.already))
    service.apply_preview(actor, preview, found, progress)


def state(found: HistoryImport) -> dict:
    """What the page and its polling show: status idle, applying, stale, done or failed."""
    run = db.session.get(ImportRun, found.id)
    if found.applied_at is not None:
        total = found.rows
        return {"status": "done", "stage": "done", "done": total, "total": total, "message": None}
    if run is None:
        return {"status": "idle", "stage": None, "done": 0, "total": 0, "message": None}
    status = "stale" if is_stale(run) else run.status
    if status == "done":  # done, yet not applied: a later run refused it (cannot happen often)
        status = "failed"
    now = figures(run)
    return {
        "status": status,
        "stage": now.stage,
        "done": now.done,
        "total": now.total,
        "message": run.message,
        "started_at": run.started_at.isoformat(),
    }
