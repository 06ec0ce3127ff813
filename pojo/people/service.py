"""People operations: creating employees and teams, and who may see whom."""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import selectinload
from werkzeug.security import generate_password_hash

from pojo.audit import service as audit
from pojo.errors import Conflict, DomainError, InvalidInput, NotFound
from pojo.extensions import db
from pojo.ledger import service as ledger
from pojo.people.changes import audit_state, audit_subject, edit_action
from pojo.people.models import EMPLOYMENT_TYPES, LANGUAGES, Employee, Team
from pojo.people.policy import (
    EDIT_EMPLOYEE,
    GRANT_ROLE,
    MANAGE_ACCESS,
    MANAGE_PEOPLE,
    OVERSEE_ALL_TEAMS,
    SUPERVISE_TEAM,
    VIEW_LEDGER,
)
from pojo.policy import ROLES, can, require
from pojo.rows import get_row
from pojo.signals import employee_deactivated

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def _team_named(name: str) -> Team | None:
    """The team with this name in any case."""
    return db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))


def get_or_create_team(name: str) -> Team:
    """The team with this name, created when missing."""
    name = name.strip()
    if not name:
        raise DomainError(_("A team needs a name."))
    team = _team_named(name)
    if team is None:
        team = Team(name=name)
        db.session.add(team)
        db.session.flush()
    return team


def create_employee(
    username: str,
    *,
    role: str,
    team_name: str | None,
    password: str | None,
    display_name: str | None = None,
    email: str | None = None,
    employment_type: str = "permanent",
    agency_name: str | None = None,
    contract_end: date | None = None,
    language: str = "fi",
) -> Employee:
    """Create an employee with an empty balance; a supervisor also supervises the team."""
    username = username.strip().lower()
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise DomainError(_("A username is 1–64 letters, digits, dots, dashes or underscores."))
    _check_details(role, employment_type, agency_name, language, password)
    if find_employee(username) is not None:
        raise DomainError(_("The username %(username)s is taken.", username=username))
    team = get_or_create_team(team_name) if team_name else None
    employee = Employee(username=username, role=role, team=team)
    _set_details(
        employee, display_name, email, employment_type, agency_name, contract_end, language
    )
    if password:
        employee.password_hash = hash_password(password)
    db.session.add(employee)
    db.session.flush()
    ledger.open_account(employee.id)
    if SUPERVISE_TEAM.given_to(role) and team is not None:
        team.supervisors.append(employee)
    db.session.flush()
    return employee


def _check_details(
    role: str, employment_type: str, agency_name: str | None, language: str, password: str | None
) -> None:
    """The checks creating and editing an employee share."""
    if role not in ROLES:
        raise InvalidInput(_("Unknown role %(role)s.", role=role), field="role")
    if employment_type not in EMPLOYMENT_TYPES:
        raise InvalidInput(
            _("Unknown employment type %(type)s.", type=employment_type), field="employment_type"
        )
    if language not in LANGUAGES:
        raise InvalidInput(_("Unknown language %(language)s.", language=language), field="language")
    if employment_type == "temp" and not agency_name:
        raise InvalidInput(_("A temp needs the name of their agency."), field="agency_name")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )


def _set_details(
    employee: Employee,
    display_name: str | None,
    email: str | None,
    employment_type: str,
    agency_name: str | None,
    contract_end: date | None,
    language: str,
) -> None:
    """Write the details creating and editing share; only a temp keeps an agency and an end date."""
    employee.display_name = (display_name or "").strip()[:120] or employee.username
    employee.email = email or None
    employee.employment_type = employment_type
    temp = employment_type == "temp"
    employee.agency_name = agency_name if temp else None
    employee.contract_end = contract_end if temp else None
    employee.language = language


def find_employee(username: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.username == username.strip().lower()))


def get_employee(username: str) -> Employee:
    """The employee with this username, or NotFound."""
    employee = find_employee(username)
    if employee is None:
        raise NotFound(_("No employee with the username %(username)s.", username=username))
    return employee


def ledger_owner(actor: Employee, username: str) -> Employee:
    """The employee whose ledger `actor` asks to read: NotFound, or Forbidden unless allowed.

    One rule for the ledger page and `GET /api/v1/employees/<username>/ledger`.
    """
    employee = get_employee(username)
    require(actor, VIEW_LEDGER, employee)
    return employee


def employee_to_edit(actor: Employee, username: str) -> Employee:
    """The employee `actor` opens the edit form of: NotFound, or Forbidden unless allowed."""
    employee = get_employee(username)
    require(actor, EDIT_EMPLOYEE, employee)
    return employee


def visible_records(actor: Employee, *, team: ColumnElement, employee: ColumnElement):
    """The condition on a list's rows that leaves those the actor may see.

    HR and admin see everyone's; a supervisor sees their teams'; anyone else
    their own. `team` and `employee` are the columns holding a row's team id
    and employee id (an award counts in the team it was made in, so its own
    column, not the employee's team today).
    """
    if can(actor, OVERSEE_ALL_TEAMS):
        return true()
    if can(actor, SUPERVISE_TEAM):
        return team.in_([own.id for own in actor.supervised_teams])
    return employee == actor.id


def visible_employees(actor: Employee) -> Select:
    """The employees the actor may see in a list (see `visible_records`)."""
    return select(Employee).where(
        visible_records(actor, team=Employee.team_id, employee=Employee.id)
    )


def awardable_employees(actor: Employee) -> list[Employee]:
    """Whom the actor may award: their teams' members, or everyone for HR and admin."""
    query = visible_employees(actor).where(Employee.active.is_(True), Employee.id != actor.id)
    return list(db.session.scalars(query.order_by(Employee.display_name)))


def get_team(team_id: int | None) -> Team:
    """The team with this id, or an error on the team field."""
    team = get_row(Team, team_id)
    if team is None:
        raise InvalidInput(_("Choose one of the teams."), field="team")
    return team


def create_team(actor: Employee, name: str) -> Team:
    """Add a team (HR and admin); a name already taken, in any case, is refused."""
    require(actor, MANAGE_PEOPLE, message=_("Only HR and admin add teams."))
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise InvalidInput(_("A team name is 1–80 characters."), field="name")
    taken = _team_named(name)
    if taken is not None:
        raise Conflict(_("There is already a team called %(name)s.", name=taken.name), field="name")
    team = get_or_create_team(name)
    audit.record(
        actor, "team.created", audit.Subject("team", team.id, team.name), None, {"name": team.name}
    )
    return team


def update_employee(
    actor: Employee,
    username: str,
    *,
    display_name: str,
    email: str | None,
    team_id: int | None,
    employment_type: str,
    agency_name: str | None,
    contract_end: date | None,
    language: str,
    role: str | None = None,
    active: bool | None = None,
    new_password: str | None = None,
) -> Employee:
    """Change an employee's details; `role`, `active` and `new_password` None keep them.

    Changing the password, role or active flag needs `manage_access`.
    Deactivating ends the employee's sessions and revokes their API tokens
    for good: reactivating them later revives neither.
    """
    employee = get_employee(username)
    role = employee.role if role is None else role
    active = employee.active if active is None else active
    _check_edit(actor, employee, role, active, new_password)
    before = audit_state(employee)
    _check_details(role, employment_type, agency_name, language, new_password or None)
    if employee.id == actor.id and (not active or role != actor.role):
        raise DomainError(_("You cannot deactivate yourself or change your own role."))
    team = get_team(team_id)
    moved = team.id != employee.team_id
    if employee.active and not active:
        deactivate(employee)
    employee.team = team
    _set_details(
        employee, display_name, email, employment_type, agency_name, contract_end, language
    )
    employee.active = active
    if new_password:
        employee.password_hash = hash_password(new_password)
        employee.session_version += 1
    became = role != employee.role
    if became:
        employee.supervised_teams.clear()
    # A new supervisor, or one moved to another team, supervises the team they are in.
    if (
        SUPERVISE_TEAM.given_to(role)
        and (moved or became)
        and team not in employee.supervised_teams
    ):
        employee.supervised_teams.append(team)
    employee.role = role
    db.session.flush()
    after = audit_state(employee)
    if new_password:
        before["password_changed"], after["password_changed"] = False, True
    if after != before:
        audit.record(actor, edit_action(before, after), audit_subject(employee), before, after)
    return employee


def deactivate(employee: Employee) -> None:
    """Deactivate an account and end its access at once, in the caller's transaction.

    The session version moves on (every session cookie stops working) and
    `employee_deactivated` lets the features above act in the same
    transaction: auth ends the stored sessions, the API revokes the tokens.
    A feature with open work to hand back (a shift swap) listens there too.
    """
    employee.session_version += 1
    employee.active = False
    employee_deactivated.send(current_app._get_current_object(), employee=employee)
    db.session.flush()


def _check_edit(
    actor: Employee, employee: Employee, role: str, active: bool, new_password: str | None
) -> None:
    """Whether the actor may make this change to this account (pojo/people/policy.py)."""
    require(actor, EDIT_EMPLOYEE, employee)
    if new_password or role != employee.role or active != employee.active:
        require(actor, MANAGE_ACCESS, employee)
    if role != employee.role:
        require(actor, GRANT_ROLE, role, field="role")


def admit_employee(
    actor: Employee, username: str, *, password: str, team_id: int | None, **fields
) -> Employee:
    """Create an employee from the people page (HR and admin), in one of the teams."""
    role = fields.get("role", "agent")
    require(actor, MANAGE_PEOPLE)
    require(actor, GRANT_ROLE, role, field="role")
    team = get_team(team_id)
    employee = create_employee(username, password=password, team_name=team.name, **fields)
    audit.record(actor, "employee.created", audit_subject(employee), None, audit_state(employee))
    return employee


def create_employee_from_command_line(username: str, **fields) -> Employee:
    """`flask user create`: an employee made by whoever runs the server, so by no employee;
    in the audit log like HR's additions."""
    employee = create_employee(username, **fields)
    audit.record(None, "employee.created", audit_subject(employee), None, audit_state(employee))
    return employee


def list_teams() -> list[Team]:
    """Every team by name, with its members and supervisors loaded (the teams page)."""
    query = (
        select(Team)
        .options(selectinload(Team.members), selectinload(Team.supervisors))
        .order_by(Team.name)
    )
    return list(db.session.scalars(query))


def visible_teams(actor: Employee) -> list[Team]:
    """The teams on the actor's teams page: their own for a supervisor, every team for HR."""
    teams = list_teams()
    if can(actor, SUPERVISE_TEAM):
        return [team for team in teams if team in actor.supervised_teams]
    return teams
