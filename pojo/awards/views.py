"""The criteria catalogue and the award form."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from pojo.awards import budgets, listing, service
from pojo.awards.forms import AwardFilterForm, AwardForm, CriterionForm, TeamBudgetForm
from pojo.awards.policy import AWARD, AWARD_OVER_BUDGET, MANAGE_BUDGETS, MANAGE_CRITERIA
from pojo.errors import DomainError
from pojo.formatting import format_points
from pojo.forms import form_status, show_refusal
from pojo.pagination import requested_page
from pojo.people.listing import filter_teams
from pojo.people.service import awardable_employees
from pojo.policy import EVERYONE, can
from pojo.web import allow, flash_refusal, new_request_id, sections

bp = Blueprint("awards", __name__)

CRITERION_FIELDS = (
    "code",
    "name_en",
    "name_fi",
    "description_en",
    "description_fi",
    "tier",
    "points",
    "active",
)


@bp.route("/criteria")
@allow(EVERYONE)
def catalogue():
    criteria = service.list_criteria(include_retired=can(current_user, MANAGE_CRITERIA))
    return render_template(
        "awards/catalogue.html", criteria=criteria, sections=sections("catalogue")
    )


def _budgets():
    """The budgets that limit the user's awards: those of the teams they supervise."""
    if can(current_user, AWARD_OVER_BUDGET):
        return []
    return budgets.team_budgets(current_user.supervised_teams)


@bp.route("/awards/new", methods=["GET", "POST"])
@allow(AWARD)
def new_award():
    form = AwardForm()
    people = awardable_employees(current_user)
    form.employee.choices = [("", _("Choose…"))] + [
        (p.username, f"{p.display_name} ({p.team.name if p.team else '–'})") for p in people
    ]
    criteria = service.list_criteria()
    form.criterion.choices = [("", _("Choose…"))] + [
        (c.code, f"{c.name(current_user.language)} · {c.points}") for c in criteria
    ]
    if form.validate_on_submit():
        try:
            made = service.award(
                current_user,
                form.employee.data,
                form.criterion.data,
                form.note.data,
                request_id=form.request_id.data,
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(
                _(
                    "%(points)s points awarded to %(name)s.",
                    points=format_points(made.points),
                    name=made.employee.display_name,
                ),
                "success",
            )
            return redirect(url_for("awards.new_award"))
    if not form.request_id.data:
        form.request_id.data = new_request_id()
    status = form_status(form)
    return render_template(
        "awards/new.html",
        form=form,
        budgets=_budgets(),
        criteria=criteria,
        note_limit=current_app.config["NOTE_MAX_LENGTH"],
        recent=service.recent_awards(current_user, limit=10),
    ), status


@bp.route("/awards")
@allow(AWARD)
def recent():
    form = AwardFilterForm(request.args)
    form.team.choices = [("", _("Any team"))] + [
        (str(team.id), team.name) for team in filter_teams(current_user)
    ]
    form.criterion.choices = [("", _("Any criterion"))] + [
        (str(criterion.id), criterion.name(current_user.language))
        for criterion in service.list_criteria(include_retired=True)
    ]
    form.giver.choices = [("", _("Anyone"))] + [
        (str(person.id), person.display_name) for person in listing.givers(current_user)
    ]
    if not form.validate():
        return render_template("awards/list.html", awards=None, form=form, budgets=_budgets()), 400
    filters = listing.AwardFilter(
        text=form.q.data or None,
        team_id=int(form.team.data) if form.team.data else None,
        criterion_id=int(form.criterion.data) if form.criterion.data else None,
        giver_id=int(form.giver.data) if form.giver.data else None,
        since=form.since.data,
        until=form.until.data,
    )
    return render_template(
        "awards/list.html",
        awards=listing.awards_page(current_user, requested_page(), filters),
        form=form,
        budgets=_budgets(),
    )


@bp.route("/criteria/new", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/criteria/<code>/edit", methods=["GET", "POST"])
@allow(MANAGE_CRITERIA)
def edit_criterion(code: str | None):
    criterion = None
    if code is not None:
        try:
            criterion = service.get_criterion(code)
        except DomainError:
            abort(404)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in CRITERION_FIELDS}
        try:
            service.save_criterion(current_user, criterion, **fields)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("Criterion saved."), "success")
            return redirect(url_for("awards.catalogue"))
    status = form_status(form)
    return render_template("awards/edit_criterion.html", form=form, criterion=criterion), status


def budgets_section(teams):
    """Each team's budget, used and left, and HR's form to change it (the teams page)."""
    statuses = budgets.team_budgets(teams)
    return "awards/_team_budget.html", {
        "budgets": {status.team.id: status for status in statuses},
        "forms": {
            status.team.id: TeamBudgetForm(
                prefix=f"t{status.team.id}", budget=status.team.monthly_award_budget
            )
            for status in statuses
        },
        "default_budget": current_app.config["TEAM_MONTHLY_BUDGET"],
    }


# On the people feature's teams page, whose team creation stays with people.
@bp.route("/teams/<int:team_id>/budget", methods=["POST"])
@allow(MANAGE_BUDGETS)
def set_budget(team_id: int):
    form = TeamBudgetForm(prefix=f"t{team_id}")
    if not form.validate_on_submit():
        flash(_("A budget is a whole number of points from 0 to 10000000."), "error")
        return redirect(url_for("people.teams"))
    try:
        budgets.set_team_budget(current_user, team_id, form.budget.data)
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("people.teams"))
    flash(_("Budget saved."), "success")
    return redirect(url_for("people.teams"))
