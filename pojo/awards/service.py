"""Awarding points for criteria, and the criteria catalogue (team budgets: `budgets`)."""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from pojo.audit import service as audit
from pojo.awards.budgets import locked_budget
from pojo.awards.models import TIERS, Award, Criterion
from pojo.awards.policy import AWARD, AWARD_OVER_BUDGET, MANAGE_CRITERIA
from pojo.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    NotInTeam,
    OverBudget,
    SelfAward,
)
from pojo.extensions import db
from pojo.formatting import format_points
from pojo.ledger import service as ledger
from pojo.notifications.service import both_names, link_to, notify
from pojo.people.models import Employee
from pojo.people.service import get_employee, visible_records
from pojo.policy import can, require
from pojo.rows import in_language


def get_criterion(code: str) -> Criterion:
    criterion = db.session.scalar(select(Criterion).where(Criterion.code == code))
    if criterion is None:
        raise NotFound(_("No criterion with the code %(code)s.", code=code))
    return criterion


def award(
    actor: Employee,
    username: str,
    criterion_code: str,
    note: str,
    *,
    request_id: str | None = None,
    at: datetime | None = None,
) -> Award:
    """Award a criterion's points to an employee, within the rules.

    Supervisors award members of their own teams within the team's monthly
    budget; HR and admin may award anyone. Nobody awards themself. A
    repeated `request_id` (a double-submitted form) returns the first award.
    `at` backdates the award (demo data and history imports). The
    recipient is notified: criterion, points, who and the note.
    """
    require(actor, AWARD)
    if request_id:
        earlier = db.session.scalar(select(Award).where(Award.request_id == request_id))
        if earlier is not None:
            if earlier.awarded_by_id != actor.id:
                raise Conflict(_("This form was already used."))
            return earlier
    # A browser sends a newline as CRLF; counted as one, the limit is what the form's counter shows.
    note = (note or "").replace("\r\n", "\n").strip()
    if not note:
        raise InvalidInput(_("Write a short note on what was good."), field="note")
    limit = current_app.config["NOTE_MAX_LENGTH"]
    if len(note) > limit:
        raise InvalidInput(
            _(
                "The note is %(count)s characters long; at most %(n)s fit. Shorten it and send again.",
                count=format_points(len(note)),
                n=format_points(limit),
            ),
            field="note",
        )
    employee = get_employee(username)
    criterion = get_criterion(criterion_code)
    if employee.id == actor.id:
        raise SelfAward(_("You cannot award yourself."), field="employee")
    if not employee.active:
        raise DomainError(
            _("%(name)s is not active and cannot receive awards.", name=employee.display_name),
            field="employee",
        )
    if not criterion.active:
        raise DomainError(
            _("The criterion %(code)s is retired.", code=criterion.code), field="criterion"
        )
    team = employee.team
    if not can(actor, AWARD, employee):
        raise NotInTeam(
            _("%(name)s is not in a team you supervise.", name=employee.display_name),
            field="employee",
        )
    if not can(actor, AWARD_OVER_BUDGET):
        status = locked_budget(team, at)
        if status.used + criterion.points > status.budget:
            raise OverBudget(
                _(
                    "Over the team's monthly budget: %(left)s of %(budget)s points left, this award is %(points)s.",
                    left=format_points(status.left),
                    budget=format_points(status.budget),
                    points=format_points(criterion.points),
                )
            )
    entry = ledger.post_entry(employee.id, criterion.points, "award", actor=actor, note=note, at=at)
    made = Award(
        employee=employee,
        criterion=criterion,
        points=criterion.points,
        note=note,
        source="manual",
        awarded_by=actor,
        team=team,
        entry=entry,
        request_id=request_id,
        created_at=entry.at,
    )
    db.session.add(made)
    db.session.flush()
    # The reference is set in the creating transaction, once the award has its id.
    entry.reference = f"award:{made.id}"
    notify(
        employee.id,
        "award_received",
        link_to("ledger.wallet"),
        at=entry.at,
        who=actor.display_name,
        points=criterion.points,
        **both_names("criterion", criterion),
        note=note,
    )
    return made


def list_criteria(include_retired: bool = False) -> list[Criterion]:
    query = select(Criterion)
    if not include_retired:
        query = query.where(Criterion.active.is_(True))
    excellent_first = case((Criterion.tier == "excellent", 0), else_=1)
    ordered = query.order_by(excellent_first, Criterion.points.desc(), Criterion.code)
    return list(db.session.scalars(ordered))


def save_criterion(actor: Employee, criterion: Criterion | None, **fields) -> Criterion:
    """Create or edit a criterion (HR and admin). Points changes apply to future awards only."""
    require(actor, MANAGE_CRITERIA)
    if fields.get("tier") not in TIERS:
        raise InvalidInput(_("The tier is good or excellent."), field="tier")
    if not isinstance(fields.get("points"), int) or not 1 <= fields["points"] <= 100_000:
        raise InvalidInput(_("Points are a whole number from 1 to 100000."), field="points")
    code = fields.get("code", "").strip().lower()
    clash = db.session.scalar(select(Criterion).where(Criterion.code == code))
    if clash is not None and clash is not criterion:
        raise Conflict(_("The code %(code)s is taken.", code=code))
    created = criterion is None
    if criterion is None:
        criterion = Criterion()
        db.session.add(criterion)
    fields["code"] = code
    before = None if created else audit.snapshot(criterion, fields)
    for name, value in fields.items():
        setattr(criterion, name, value)
    db.session.flush()
    after = audit.snapshot(criterion, fields)
    if after != before:
        audit.record(
            actor,
            "criterion.created" if created else "criterion.edited",
            audit.Subject("criterion", criterion.id, criterion.code),
            before,
            after,
        )
    return criterion


def visible_awards(actor: Employee):
    """Awards the actor may see, newest first: their teams' for supervisors, all for HR."""
    query = (
        select(Award)
        .options(
            joinedload(Award.employee),
            joinedload(Award.awarded_by),
            joinedload(Award.criterion),
        )
        .order_by(Award.id.desc())
    )
    return query.where(visible_records(actor, team=Award.team_id, employee=Award.employee_id))


def recent_awards(actor: Employee, limit: int = 10) -> list[Award]:
    """The latest awards the actor may see (under the award form)."""
    return list(db.session.scalars(visible_awards(actor).limit(limit)))


def describe_awards(award_ids: list[int], language: str) -> dict[int, str]:
    """Criterion names for ledger lines that point at these awards."""
    rows = db.session.execute(
        select(Award.id, Criterion.name_en, Criterion.name_fi)
        .join(Criterion, Criterion.id == Award.criterion_id)
        .where(Award.id.in_(award_ids))
    )
    return {award_id: in_language(language, en, fi) for award_id, en, fi in rows}
