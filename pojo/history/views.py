"""The import pages (HR and admin): upload, preview with line-numbered errors, apply; and
the public set-password page of an imported account."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from pojo.errors import DomainError, error_response
from pojo.extensions import db
from pojo.forms import form_status
from pojo.history import passwords, service, uploads, users
from pojo.history.forms import ApplyForm, HistoryUploadForm, SetPasswordForm, UsersUploadForm
from pojo.history.models import HistoryImport
from pojo.insights.policy import IMPORT_HISTORY
from pojo.policy import PUBLIC
from pojo.web import allow

bp = Blueprint("history", __name__)

SHOWN_REJECTED = 200
SHOWN_ROWS = 200


def describe_history(import_ids: list[int], language: str) -> dict[int, str]:
    """Ledger lines a history import wrote: "Imported history" with the file's name."""
    rows = db.session.execute(
        select(HistoryImport.id, HistoryImport.filename).where(HistoryImport.id.in_(import_ids))
    )
    return {import_id: _("Imported history (%(file)s)", file=name) for import_id, name in rows}


def _index(users_form=None, history_form=None, status=200):
    return render_template(
        "history/index.html",
        users_form=users_form or UsersUploadForm(prefix="users"),
        history_form=history_form or HistoryUploadForm(prefix="history"),
        imports=uploads.recent(current_user),
    ), status


@bp.route("/import")
@allow(IMPORT_HISTORY)
def index():
    return _index()


@bp.route("/import/<any(users, history):kind>", methods=["POST"])
@allow(IMPORT_HISTORY)
def upload(kind: str):
    form = (
        UsersUploadForm(prefix="users") if kind == "users" else HistoryUploadForm(prefix="history")
    )
    if form.validate_on_submit():
        limit = users.MAX_BYTES if kind == "users" else service.PAGE_MAX_BYTES
        data = form.file.data.read(limit + 1)
        try:
            made = uploads.upload(current_user, kind, form.file.data.filename, data)
        except DomainError as error:
            form.file.errors.append(error.message)
        else:
            return redirect(url_for("history.preview", upload_id=made.id))
    status = form_status(form)
    if kind == "users":
        return _index(users_form=form, status=status)
    return _index(history_form=form, status=status)


def _render_preview(found, form=None, status=200):
    try:
        preview = uploads.preview_upload(current_user, found)
        run = uploads.progress(current_user, found.id)
    except DomainError as error:
        abort(error.status)
    return render_template(
        f"history/preview_{found.kind}.html",
        upload=found,
        preview=preview,
        run=run,
        shown_rejected=SHOWN_REJECTED,
        shown_rows=SHOWN_ROWS,
        form=form or ApplyForm(),
    ), status


def _upload_or_404(upload_id: int):
    try:
        return uploads.get_upload(current_user, upload_id)
    except DomainError:
        abort(404)


@bp.route("/import/<int:upload_id>")
@allow(IMPORT_HISTORY)
def preview(upload_id: int):
    found = _upload_or_404(upload_id)
    if found.applied_at is not None:
        return render_template("history/applied.html", upload=found, links=[])
    run = uploads.progress(current_user, upload_id)
    if run["status"] == "applying":
        return render_template("history/applying.html", upload=found, run=run)
    return _render_preview(found)


@bp.route("/import/<int:upload_id>/progress")
@allow(IMPORT_HISTORY)
def progress(upload_id: int):
    """The page's polling: {"status", "stage", "done", "total", "message"} of an upload."""
    try:
        return jsonify(uploads.progress(current_user, upload_id))
    except DomainError as error:
        return error_response(error.code, error.message, error.status)


@bp.route("/import/<int:upload_id>/apply", methods=["POST"])
@allow(IMPORT_HISTORY)
def apply(upload_id: int):
    form = ApplyForm()
    found = _upload_or_404(upload_id)
    if form.validate_on_submit():
        try:
            applied = uploads.apply_upload(current_user, upload_id, str(get_locale()))
        except DomainError as error:
            # Answered with 422: the commit point keeps nothing the refused call did.
            form.form_errors.append(error.message)
        else:
            if applied.running:
                return redirect(url_for("history.preview", upload_id=upload_id))
            if applied.links:
                # The links are shown this once: only their hashes are kept.
                return render_template(
                    "history/applied.html", upload=applied.found, links=applied.links
                )
            flash(_("Import applied."), "success")
            return redirect(url_for("history.preview", upload_id=upload_id))
    if found.applied_at is not None:
        return render_template("history/applied.html", upload=found, links=[]), 409
    return _render_preview(found, form=form, status=422)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def set_password(token: str):
    try:
        link = passwords.live_link(token)
    except DomainError:
        return render_template("history/set_password.html", form=None), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.set_password(token, form.password.data, form.confirm.data)
        except DomainError as error:
            getattr(form, error.details.get("field", "password"), form.password).errors.append(
                error.message
            )
        else:
            flash(_("Your password is set: log in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "history/set_password.html", form=form, employee=link.employee
    ), form_status(form)
