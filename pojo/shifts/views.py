"""Shift pages: my shifts, the team schedule, single shifts, the roster import."""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.bounds import query_int
from pojo.errors import DomainError
from pojo.forms import ConfirmForm, form_status, show_refusal
from pojo.policy import EVERYONE
from pojo.rows import site_zone
from pojo.shifts import imports, service
from pojo.shifts.forms import ApplyForm, EditShiftForm, ShiftForm, UploadForm
from pojo.shifts.policy import PLAN_SHIFTS
from pojo.web import allow, flash_refusal, sections

bp = Blueprint("shifts", __name__, url_prefix="/shifts")

SHOWN_REJECTED = 200
# The weeks a schedule link may ask for; anything else shows this week.
FIRST_YEAR, LAST_YEAR = 2000, 2100
DAY_SHIFT = (time(9), time(17))


def _requested_day(name: str) -> date | None:
    """The query string's date `name` (YYYY-MM-DD within the bounded years), else None."""
    text = request.args.get(name, "")
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


def _requested_monday() -> date:
    return service.week_of(_requested_day("week") or datetime.now(site_zone()).date())


@bp.route("")
@allow(EVERYONE)
def mine():
    return render_template(
        "shifts/mine.html",
        shifts=service.my_shifts(current_user),
        sections=sections("my_shifts", employee=current_user),
    )


@bp.route("/schedule")
@allow(PLAN_SHIFTS)
def schedule():
    monday = _requested_monday()
    try:
        week = service.team_week(current_user, query_int("team"), monday)
    except DomainError:
        abort(404)
    return render_template(
        "shifts/schedule.html",
        week=week,
        teams=service.plannable_teams(current_user),
        one_week=timedelta(days=7),
    )


def _local(moment: datetime) -> datetime:
    """A naive local time from the form, as an aware moment in the site's zone."""
    return moment.replace(tzinfo=site_zone())


@bp.route("/new", methods=["GET", "POST"])
@allow(PLAN_SHIFTS)
def new():
    try:
        team = service.team_to_plan(current_user, query_int("team"))
    except DomainError:
        abort(404)
    form = ShiftForm()
    day = _requested_day("day")
    if day is not None and not form.is_submitted():
        # A day chosen in the week view: an ordinary day shift to adjust.
        form.starts_at.data = datetime.combine(day, DAY_SHIFT[0])
        form.ends_at.data = datetime.combine(day, DAY_SHIFT[1])
    form.employee.choices = [(m.id, m.display_name) for m in team.members if m.active]
    if form.validate_on_submit():
        members = {m.id: m for m in team.members}
        try:
            shift = service.create_shift(
                current_user,
                members[form.employee.data],
                _local(form.starts_at.data),
                _local(form.ends_at.data),
                form.label.data.strip(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("Shift added."), "success")
            return _back_to(shift)
    return render_template("shifts/form.html", form=form, team=team, shift=None), form_status(form)


def _back_to(shift):
    week = service.week_of(shift.starts_at.astimezone(site_zone()).date())
    return redirect(url_for("shifts.schedule", team=shift.team_id, week=week.isoformat()))


@bp.route("/<int:shift_id>/edit", methods=["GET", "POST"])
@allow(PLAN_SHIFTS, object_rule=PLAN_SHIFTS)
def edit(shift_id: int):
    try:
        shift = service.get_shift(current_user, shift_id)
    except DomainError:
        abort(404)
    zone = site_zone()
    form = EditShiftForm(
        data={
            "starts_at": shift.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": shift.ends_at.astimezone(zone).replace(tzinfo=None),
            "label": shift.label,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            service.update_shift(
                current_user,
                shift_id,
                _local(form.starts_at.data),
                _local(form.ends_at.data),
                form.label.data.strip(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("Shift saved."), "success")
            return _back_to(shift)
    return render_template(
        "shifts/form.html", form=form, team=shift.team, shift=shift, delete_form=ConfirmForm()
    ), form_status(form)


@bp.route("/<int:shift_id>/delete", methods=["POST"])
@allow(PLAN_SHIFTS, object_rule=PLAN_SHIFTS)
def delete(shift_id: int):
    form = ConfirmForm()
    try:
        shift = service.get_shift(current_user, shift_id)
    except DomainError:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    target = _back_to(shift)
    try:
        service.delete_shift(current_user, shift_id)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("Shift deleted."), "success")
    return target


@bp.route("/import", methods=["GET", "POST"])
@allow(PLAN_SHIFTS)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(imports.MAX_BYTES + 1)
        try:
            plan = imports.preview(current_user, data)
        except DomainError as error:
            form.file.errors.append(error.message)
        else:
            return _preview(plan, data.decode("utf-8-sig"))
    return render_template("shifts/import.html", form=form), form_status(form)


def _preview(plan, content: str, form=None, status=200):
    return render_template(
        "shifts/preview.html",
        plan=plan,
        shown_rejected=SHOWN_REJECTED,
        form=form or ApplyForm(content=content),
    ), status


@bp.route("/import/apply", methods=["POST"])
@allow(PLAN_SHIFTS)
def apply():
    form = ApplyForm()
    if not form.validate_on_submit():
        abort(400)
    data = form.content.data.encode("utf-8")
    try:
        plan = imports.apply(current_user, data)
    except DomainError as error:
        form.form_errors.append(error.message)
        try:
            plan = imports.preview(current_user, data)
        except DomainError:
            abort(400)
        return _preview(plan, form.content.data, form, 422)
    flash(
        _(
            "Roster imported: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.",
            new=len(plan.new),
            changed=len(plan.changed),
            unchanged=plan.unchanged,
        ),
        "success",
    )
    return redirect(url_for("shifts.schedule"))
