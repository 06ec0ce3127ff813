"""Outcome pages: recent outcomes, the CSV import with its preview, and rule editing."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.awards.service import list_criteria
from pojo.errors import DomainError
from pojo.extensions import db
from pojo.formatting import format_points
from pojo.forms import form_status
from pojo.outcomes import csvfile, imports, listing, service
from pojo.outcomes.forms import ApplyForm, OutcomeFilterForm, RejectForm, RuleForm, UploadForm
from pojo.outcomes.kinds import KIND_NAMES
from pojo.outcomes.models import OutcomeRule
from pojo.outcomes.policy import APPROVE_IMPORTS, EDIT_RULES, RECORD_OUTCOMES, VIEW_IMPORT
from pojo.pagination import requested_page
from pojo.people.listing import filter_teams
from pojo.policy import can
from pojo.web import allow

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")

SHOWN_EMPLOYEES = 100
SHOWN_REJECTED = 200


def rules_section():
    """The rules panel on the criteria catalogue: everyone sees what earns points."""
    editor = can(current_user, EDIT_RULES)
    return "outcomes/_rules_section.html", {
        "rules": service.list_rules(include_inactive=editor),
        "editor": editor,
    }


@bp.route("")
@allow(RECORD_OUTCOMES)
def index():
    form = OutcomeFilterForm(request.args)
    form.team.choices = [("", _("Any team"))] + [
        (str(team.id), team.name) for team in filter_teams(current_user)
    ]
    form.kind.choices = [("", _("Any outcome"))] + [
        (kind, str(name)) for kind, name in KIND_NAMES.items()
    ]
    context = {"form": form, "rules": service.list_rules()}
    if not form.validate():
        return render_template("outcomes/index.html", outcomes=None, imports=[], **context), 400
    filters = listing.OutcomeFilter(
        text=form.q.data or None,
        team_id=int(form.team.data) if form.team.data else None,
        kind=form.kind.data or None,
        status=form.status.data or None,
        since=form.since.data,
        until=form.until.data,
    )
    return render_template(
        "outcomes/index.html",
        outcomes=listing.outcomes_page(current_user, requested_page(), filters),
        imports=listing.recent_imports(current_user, filters),
        **context,
    )


@bp.route("/import", methods=["GET", "POST"])
@allow(RECORD_OUTCOMES)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(csvfile.MAX_BYTES + 1)
        try:
            made = imports.upload(current_user, form.file.data.filename, data)
        except DomainError as error:
            form.file.errors.append(error.message)
        else:
            return redirect(url_for("outcomes.preview", upload_id=made.id))
    status = form_status(form)
    return render_template("outcomes/import.html", form=form), status


def _render_preview(found, form=None, reject_form=None, status=200):
    try:
        preview = imports.preview_upload(current_user, found)
    except DomainError as error:
        abort(error.status)
    return render_template(
        "outcomes/preview.html",
        upload=found,
        preview=preview,
        employees=preview.plan.points_by_employee(),
        shown_employees=SHOWN_EMPLOYEES,
        shown_rejected=SHOWN_REJECTED,
        form=form or ApplyForm(),
        reject_form=reject_form or RejectForm(),
    ), status


@bp.route("/import/<int:upload_id>")
@allow(RECORD_OUTCOMES, object_rule=VIEW_IMPORT)
def preview(upload_id: int):
    found = _upload_or_404(upload_id)
    return _render_preview(found)


def _upload_or_404(upload_id: int):
    """The upload the user may see; any other id is simply not found."""
    try:
        return imports.get_upload(current_user, upload_id)
    except DomainError:
        abort(404)


@bp.route("/import/<int:upload_id>/apply", methods=["POST"])
@allow(RECORD_OUTCOMES, object_rule=VIEW_IMPORT)
def apply(upload_id: int):
    form = ApplyForm()
    found = _upload_or_404(upload_id)
    if form.validate_on_submit():
        try:
            confirmed = imports.confirm_upload(
                current_user, upload_id, skip_invalid=form.skip_invalid.data
            )
        except DomainError as error:
            # Answered with 422: the commit point keeps nothing the refused call did.
            form.form_errors.append(error.message)
        else:
            recorded = confirmed.recorded
            if recorded is None:
                flash(
                    _("Submitted for approval: HR applies the file or tells you why not."),
                    "success",
                )
                return redirect(url_for("outcomes.preview", upload_id=upload_id))
            flash(
                _(
                    "Imported %(accepted)s outcomes: %(points)s points awarded, %(duplicates)s already recorded, %(rejected)s rejected rows left out.",
                    accepted=recorded.accepted,
                    points=format_points(recorded.points_awarded),
                    duplicates=recorded.duplicates,
                    rejected=len(recorded.rejected),
                ),
                "success",
            )
            return redirect(url_for("outcomes.index"))
    return _render_preview(found, form=form, status=422)


@bp.route("/import/<int:upload_id>/reject", methods=["POST"])
@allow(APPROVE_IMPORTS, object_rule=APPROVE_IMPORTS)
def reject(upload_id: int):
    form = RejectForm()
    found = _upload_or_404(upload_id)
    if form.validate_on_submit():
        try:
            imports.reject_upload(current_user, upload_id, form.reason.data or "")
        except DomainError as error:
            # Answered with 422: the commit point keeps nothing the refused call did.
            form.form_errors.append(error.message)
        else:
            flash(_("Import rejected; its uploader is told."), "success")
            return redirect(url_for("outcomes.index"))
    return _render_preview(found, reject_form=form, status=422)


def _rule_form(rule: OutcomeRule | None) -> RuleForm:
    form = RuleForm(obj=rule)
    form.criterion.choices = [
        (criterion.code, f"{criterion.name(current_user.language)} · {criterion.points}")
        for criterion in list_criteria()
    ]
    if rule is not None and not form.is_submitted():
        form.criterion.data = rule.criterion.code
    return form


@bp.route("/rules/new", methods=["GET", "POST"], defaults={"rule_id": None})
@bp.route("/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@allow(EDIT_RULES)
def edit_rule(rule_id: int | None):
    rule = None
    if rule_id is not None:
        rule = db.session.get(OutcomeRule, rule_id)
        if rule is None:
            abort(404)
    form = _rule_form(rule)
    if form.validate_on_submit():
        try:
            service.save_rule(
                current_user,
                rule,
                kind=form.kind.data,
                min_score=form.min_score.data,
                max_score=form.max_score.data,
                criterion_code=form.criterion.data,
                active=form.active.data,
            )
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("Outcome rule saved."), "success")
            return redirect(url_for("awards.catalogue") + "#outcome-rules")
    status = form_status(form)
    return render_template("outcomes/rule_form.html", form=form, rule=rule), status
