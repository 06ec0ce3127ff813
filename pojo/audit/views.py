"""The audit log page for HR and admin: newest first, filtered, each change as a diff."""

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from pojo.audit import service
from pojo.audit.actions import ACTIONS, SUBJECT_KINDS, field_label, value_label
from pojo.audit.diff import changes, shown
from pojo.audit.export import to_csv
from pojo.audit.forms import AuditFilterForm
from pojo.audit.policy import READ_AUDIT_LOG
from pojo.pagination import requested_page
from pojo.web import allow

bp = Blueprint("audit", __name__)


def _filters(form: AuditFilterForm) -> service.AuditFilter | None:
    """The filters the query string asks for; None when one of them is not valid."""
    if not form.validate():
        return None
    return service.AuditFilter(
        actor_id=int(form.actor.data) if form.actor.data else None,
        action=form.action.data or None,
        subject_kind=form.subject_kind.data or None,
        since=form.since.data,
        until=form.until.data,
    )


@bp.route("/audit")
@allow(READ_AUDIT_LOG)
def index():
    form = AuditFilterForm(request.args, actors=service.actors(current_user))
    filters = _filters(form)
    if filters is None:
        return render_template("audit/index.html", form=form, pages=None), 400
    pages = service.entries_page(current_user, filters, requested_page())
    return render_template(
        "audit/index.html",
        form=form,
        pages=pages,
        actions=ACTIONS,
        kinds=SUBJECT_KINDS,
        changes=changes,
        shown=shown,
        field_label=field_label,
        value_label=value_label,
    )


@bp.route("/audit.csv")
@allow(READ_AUDIT_LOG)
def export():
    form = AuditFilterForm(request.args, actors=service.actors(current_user))
    filters = _filters(form)
    if filters is None:
        problems = [error for errors in form.errors.values() for error in errors]
        return Response("\n".join(map(str, problems)) + "\n", status=400, mimetype="text/plain")
    body = to_csv(service.entries_for_export(current_user, filters))
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="pojo-audit-log.csv"'},
    )
