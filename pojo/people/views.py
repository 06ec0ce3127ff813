"""People and team pages for HR, admin and supervisors."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.errors import DomainError
from pojo.forms import form_status, show_refusal
from pojo.pagination import requested_page
from pojo.people import listing, service
from pojo.people.forms import ROLE_CHOICES, EmployeeForm, PeopleFilterForm, TeamForm
from pojo.people.policy import (
    EDIT_EMPLOYEE,
    MANAGE_ACCESS,
    MANAGE_PEOPLE,
    VIEW_PEOPLE,
    grantable_roles,
)
from pojo.policy import can
from pojo.web import allow, flash_refusal, sections

bp = Blueprint("people", __name__)


@bp.route("/people")
@allow(VIEW_PEOPLE)
def index():
    form = PeopleFilterForm(request.args)
    form.agency.choices = [("", _("Any agency"))] + [
        (name, name) for name in listing.agencies(current_user)
    ]
    form.team.choices = [("", _("Any team"))] + [
        (str(team.id), team.name) for team in listing.filter_teams(current_user)
    ]
    if not form.validate():
        return render_template("people/index.html", rows=[], pages=None, filter_form=form), 400
    filters = listing.PeopleFilter(
        employment=form.employment.data or None,
        agency=form.agency.data or None,
        ends_by=form.ends_by.data,
        text=form.q.data or None,
        team_id=int(form.team.data) if form.team.data else None,
        role=form.role.data or None,
        active={"yes": True, "no": False}.get(form.active.data),
    )
    people = listing.people_with_balances(current_user, requested_page(), filters)
    return render_template(
        "people/index.html", rows=people.rows, pages=people.pages, filter_form=form
    )


def _employee_fields(form: EmployeeForm) -> dict:
    return {
        "display_name": form.display_name.data,
        "email": form.email.data,
        "team_id": form.team.data,
        "employment_type": form.employment_type.data,
        "agency_name": form.agency_name.data,
        "contract_end": form.contract_end.data,
        "language": form.language.data,
    }


def _employee_form(employee=None) -> EmployeeForm:
    """The form pre-filled from the employee, with the choices and fields this actor has."""
    initial = {}
    if employee is not None:
        initial = {
            "display_name": employee.display_name,
            "email": employee.email,
            "role": employee.role,
            "team": employee.team_id,
            "employment_type": employee.employment_type,
            "agency_name": employee.agency_name,
            "contract_end": employee.contract_end,
            "language": employee.language,
            "active": employee.active,
        }
    form = EmployeeForm(data=initial)
    form.team.choices = [("", _("Choose…"))] + [
        (team.id, team.name) for team in service.list_teams()
    ]
    roles = grantable_roles(current_user)
    form.role.choices = [(value, label) for value, label in ROLE_CHOICES if value in roles]
    if employee is not None:
        del form.username
        if not can(current_user, MANAGE_ACCESS, employee):
            del form.role, form.active, form.password
    return form


@bp.route("/people/new", methods=["GET", "POST"])
@allow(MANAGE_PEOPLE)
def new_employee():
    form = _employee_form()
    del form.active
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Give a first password (at least 8 characters)."))
        else:
            try:
                employee = service.admit_employee(
                    current_user,
                    form.username.data,
                    password=form.password.data,
                    role=form.role.data,
                    **_employee_fields(form),
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                flash(_("%(name)s can now log in.", name=employee.display_name), "success")
                return redirect(url_for("people.index"))
    status = form_status(form)
    return render_template("people/edit.html", form=form, employee=None), status


@bp.route("/people/<username>/edit", methods=["GET", "POST"])
@allow(EDIT_EMPLOYEE, object_rule=EDIT_EMPLOYEE)
def edit_employee(username: str):
    employee = service.employee_to_edit(current_user, username)
    form = _employee_form(employee)
    if form.validate_on_submit():
        access = {}
        if "role" in form:
            access = {
                "role": form.role.data,
                "active": form.active.data,
                "new_password": form.password.data or None,
            }
        try:
            service.update_employee(current_user, username, **access, **_employee_fields(form))
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("ledger.employee_ledger", username=username))
    status = form_status(form)
    return render_template("people/edit.html", form=form, employee=employee), status


@bp.route("/teams")
@allow(VIEW_PEOPLE)
def teams():
    teams = service.visible_teams(current_user)
    return render_template(
        "people/teams.html",
        teams=teams,
        team_form=TeamForm(),
        # Other features' panels on each team's card (awards: the monthly budget).
        sections=sections("teams", teams=teams),
    )


@bp.route("/teams/new", methods=["POST"])
@allow(MANAGE_PEOPLE)
def new_team():
    form = TeamForm()
    if not form.validate_on_submit():
        flash(_("Give the new team a name of at most 80 characters."), "error")
        return redirect(url_for("people.teams"))
    try:
        team = service.create_team(current_user, form.name.data)
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("people.teams"))
    flash(_("Team %(name)s added.", name=team.name), "success")
    return redirect(url_for("people.teams"))
