"""Planning shifts: one at a time (create, edit, delete) and the schedules people read.

Every change is checked the same way (`rules.time_problem`, no overlap with the
person's other shifts) and refused with the field it concerns, changing nothing.
The import of a whole roster lives in `pojo.shifts.imports` and uses the same checks.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pojo.database import utcnow
from pojo.errors import InvalidInput, NotFound
from pojo.extensions import db
from pojo.people.models import Employee, Team
from pojo.people.policy import OVERSEE_ALL_TEAMS
from pojo.policy import can, require
from pojo.rows import get_row, lock_row, site_zone
from pojo.shifts import rules
from pojo.shifts.models import LABEL_MAX_LENGTH, Shift
from pojo.shifts.policy import PLAN_SHIFTS
from pojo.signals import shift_changing

# How many of one's coming shifts "My shifts" lists.
MY_SHIFTS_SHOWN = 100


def time_message(problem: str) -> str:
    """A `rules.time_problem` code in the user's words."""
    return {
        "ends_first": _("The shift must end after it starts."),
        "too_long": _("A shift lasts at most 24 hours."),
        "in_past": _("The shift starts in the past; only coming shifts can be planned."),
        "too_far": _("The shift starts more than %(days)s days ahead; check the year.", days=400),
    }[problem]


def overlap_message(other: Shift | rules.Span) -> str:
    """The refusal for a shift overlapping `other` of the same person."""
    zone = site_zone()
    return _(
        "It overlaps another shift of the same person (%(start)s–%(end)s).",
        start=other.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        end=other.ends_at.astimezone(zone).strftime("%H:%M"),
    )


def shifts_near(employee_ids, earliest: datetime, latest: datetime) -> list[Shift]:
    """The shifts of these employees that touch [earliest, latest]."""
    if not employee_ids:
        return []
    return list(
        db.session.scalars(
            select(Shift).where(
                Shift.employee_id.in_(employee_ids),
                Shift.ends_at > earliest,
                Shift.starts_at < latest,
            )
        )
    )


def _check(employee: Employee, span: rules.Span, label: str, *, ignore: int | None = None):
    problem = rules.time_problem(span, utcnow())
    if problem:
        field = "starts_at" if problem in ("in_past", "too_far") else "ends_at"
        raise InvalidInput(time_message(problem), field=field)
    if len(label) > LABEL_MAX_LENGTH:
        raise InvalidInput(
            _("The label is longer than %(n)s characters.", n=LABEL_MAX_LENGTH), field="label"
        )
    others = [
        shift
        for shift in shifts_near([employee.id], span.starts_at, span.ends_at)
        if shift.id != ignore
    ]
    clash = rules.overlapping(span, others)
    if clash is not None:
        raise InvalidInput(overlap_message(clash), field="starts_at")


def plannable_teams(actor: Employee) -> list[Team]:
    """The teams whose shifts `actor` plans: HR and admin every team, a supervisor theirs."""
    if can(actor, OVERSEE_ALL_TEAMS):
        return list(db.session.scalars(select(Team).order_by(Team.name)))
    return list(actor.supervised_teams) if can(actor, PLAN_SHIFTS) else []


def team_to_plan(actor: Employee, team_id: int | None) -> Team:
    """A team `actor` plans: the one asked for, else their first; NotFound when none."""
    teams = plannable_teams(actor)
    if team_id is None and teams:
        return teams[0]
    found = next((team for team in teams if team.id == team_id), None)
    if found is None:
        raise NotFound(_("No such team."))
    return found


def create_shift(
    actor: Employee, employee: Employee, starts_at: datetime, ends_at: datetime, label: str = ""
) -> Shift:
    """A new shift for `employee` in their team."""
    if employee.team is None:
        raise InvalidInput(_("%(name)s has no team.", name=employee.display_name), field="employee")
    require(actor, PLAN_SHIFTS, employee.team)
    # One change to a person's shifts at a time, so two overlapping ones cannot both pass.
    lock_row(Employee, employee.id)
    span = rules.Span(starts_at, ends_at)
    _check(employee, span, label)
    shift = Shift(
        employee=employee,
        team_id=employee.team_id,
        starts_at=starts_at,
        ends_at=ends_at,
        label=label,
    )
    db.session.add(shift)
    db.session.flush()
    return shift


def get_shift(actor: Employee, shift_id: int) -> Shift:
    """A shift of a team `actor` plans; any other is not found."""
    shift = get_row(Shift, shift_id)
    if shift is None or not can(actor, PLAN_SHIFTS, shift.team):
        raise NotFound(_("No such shift."))
    return shift


def _refuse_begun(shift: Shift) -> None:
    if shift.starts_at <= utcnow():
        raise InvalidInput(_("This shift has begun; it is kept as worked."), field="starts_at")


def update_shift(
    actor: Employee, shift_id: int, starts_at: datetime, ends_at: datetime, label: str = ""
) -> Shift:
    """New times or label for a coming shift; one already begun is kept as worked."""
    shift = get_shift(actor, shift_id)
    _refuse_begun(shift)
    lock_row(Employee, shift.employee_id)
    shift_changing.send(current_app._get_current_object(), shift=shift, change="edit")
    _check(shift.employee, rules.Span(starts_at, ends_at), label, ignore=shift.id)
    shift.starts_at, shift.ends_at, shift.label = starts_at, ends_at, label
    db.session.flush()
    return shift


def delete_shift(actor: Employee, shift_id: int) -> None:
    """Remove a coming shift from the roster."""
    shift = get_shift(actor, shift_id)
    _refuse_begun(shift)
    lock_row(Employee, shift.employee_id)
    shift_changing.send(current_app._get_current_object(), shift=shift, change="delete")
    db.session.delete(shift)
    db.session.flush()


def my_shifts(actor: Employee) -> list[Shift]:
    """The actor's own shifts from today on, soonest first."""
    today = datetime.combine(datetime.now(site_zone()).date(), time(), site_zone())
    return list(
        db.session.scalars(
            select(Shift)
            .where(Shift.employee_id == actor.id, Shift.ends_at > today)
            .order_by(Shift.starts_at)
            .limit(MY_SHIFTS_SHOWN)
        )
    )


@dataclass
class Week:
    team: Team
    days: list[date]
    members: list[Employee]
    # (employee id, date) -> that person's shifts starting that day
    cells: dict[tuple[int, date], list[Shift]]
    # date -> every shift starting that day, by start (the phone's day list)
    by_day: dict[date, list[Shift]]


def week_of(day: date) -> date:
    """The Monday of the week `day` is in."""
    return day - timedelta(days=day.weekday())


def team_week(actor: Employee, team_id: int | None, monday: date) -> Week:
    """A team's shifts starting in the week from `monday`, in the site's zone."""
    team = team_to_plan(actor, team_id)
    zone = site_zone()
    days = [monday + timedelta(days=n) for n in range(7)]
    start = datetime.combine(monday, time(), zone)
    end = datetime.combine(monday + timedelta(days=7), time(), zone)
    shifts = list(
        db.session.scalars(
            select(Shift)
            .where(Shift.team_id == team.id, Shift.starts_at >= start, Shift.starts_at < end)
            .options(selectinload(Shift.employee))
            .order_by(Shift.starts_at)
        )
    )
    members = {member.id: member for member in team.members if member.active}
    for shift in shifts:
        members.setdefault(shift.employee_id, shift.employee)
    cells: dict[tuple[int, date], list[Shift]] = {}
    by_day: dict[date, list[Shift]] = {day: [] for day in days}
    for shift in shifts:
        day = shift.starts_at.astimezone(zone).date()
        cells.setdefault((shift.employee_id, day), []).append(shift)
        by_day[day].append(shift)
    return Week(
        team=team,
        days=days,
        members=sorted(members.values(), key=lambda e: e.display_name),
        cells=cells,
        by_day=by_day,
    )
