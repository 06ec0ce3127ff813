"""People operations: creating employees and teams, and who may see whom."""

from datetime import date
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.security import generate_password_hash

from pojo.errors import DomainError, Forbidden, NotFound
from pojo.extensions import db
from pojo.ledger.models import Balance
from pojo.pagination import Pagination, paginate
from pojo.people.models import EMPLOYMENT_TYPES, LANGUAGES, ROLES, Employee, Team

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 8


class PeoplePage(NamedTuple):
    """One page of the people list: the paginator (for its links) and (person, balance) rows."""

    pages: Pagination
    rows: list[tuple[Employee, int | None]]


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def get_or_create_team(name: str) -> Team:
    """The team with this name, created when missing."""
    name = name.strip()
    if not name:
        raise DomainError(_("A team needs a name."))
    team = db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
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
    if role not in ROLES:
        raise DomainError(_("Unknown role %(role)s.", role=role))
    if employment_type not in EMPLOYMENT_TYPES:
        raise DomainError(_("Unknown employment type %(type)s.", type=employment_type))
    if language not in LANGUAGES:
        raise DomainError(_("Unknown language %(language)s.", language=language))
    if employment_type == "temp" and not agency_name:
        raise DomainError(_("A temp needs the name of their agency."))
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if find_employee(username) is not None:
        raise DomainError(_("The username %(username)s is taken.", username=username))
    team = get_or_create_team(team_name) if team_name else None
    employee = Employee(
        username=username,
        display_name=(display_name or username).strip()[:120],
        email=email,
        role=role,
        employment_type=employment_type,
        agency_name=agency_name if employment_type == "temp" else None,
        contract_end=contract_end if employment_type == "temp" else None,
        team=team,
        language=language,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(employee)
    db.session.flush()
    db.session.add(Balance(employee_id=employee.id, points=0))
    if role == "supervisor" and team is not None:
        team.supervisors.append(employee)
    db.session.flush()
    return employee


def find_employee(username: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.username == username.strip().lower()))


def get_employee(username: str) -> Employee:
    """The employee with this username, or NotFound."""
    employee = find_employee(username)
    if employee is None:
        raise NotFound(_("No employee with the username %(username)s.", username=username))
    return employee


def can_view_ledger(actor: Employee, employee: Employee) -> bool:
    """The employee themself, their team's supervisors, HR and admin."""
    return actor.id == employee.id or actor.role in ("hr", "admin") or actor.supervises(employee)


def awardable_employees(actor: Employee) -> list[Employee]:
    """Whom the actor may award: their teams' members, or everyone for HR and admin."""
    query = select(Employee).where(Employee.active.is_(True), Employee.id != actor.id)
    if actor.role not in ("hr", "admin"):
        team_ids = [team.id for team in actor.supervised_teams]
        query = query.where(Employee.team_id.in_(team_ids))
    return list(db.session.scalars(query.order_by(Employee.display_name)))


def _check_may_manage(actor: Employee, role: str, target: Employee | None = None) -> None:
    """HR and admin manage people; only an admin grants or changes the admin role."""
    if actor.role not in ("hr", "admin"):
        raise Forbidden(_("Only HR and admin manage people."))
    touches_admin = role == "admin" or (target is not None and target.role == "admin")
    if touches_admin and actor.role != "admin":
        raise Forbidden(_("Only an admin can grant or change the admin role."))


def update_employee(
    actor: Employee,
    username: str,
    *,
    display_name: str,
    email: str | None,
    role: str,
    team_name: str | None,
    employment_type: str,
    agency_name: str | None,
    contract_end: date | None,
    language: str,
    active: bool,
    new_password: str | None = None,
) -> Employee:
    """Change an employee's details. Deactivating ends their sessions at once."""
    employee = get_employee(username)
    _check_may_manage(actor, role, employee)
    if role not in ROLES or employment_type not in EMPLOYMENT_TYPES or language not in LANGUAGES:
        raise DomainError(_("Unknown role, employment type or language."))
    if employment_type == "temp" and not agency_name:
        raise DomainError(_("A temp needs the name of their agency."))
    if employee.id == actor.id and (not active or role != actor.role):
        raise DomainError(_("You cannot deactivate yourself or change your own role."))
    if new_password is not None and len(new_password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    team = get_or_create_team(team_name) if team_name else None
    if employee.active and not active:
        employee.session_version += 1
    employee.display_name = display_name.strip()[:120] or employee.username
    employee.email = email or None
    employee.team = team
    employee.employment_type = employment_type
    employee.agency_name = agency_name if employment_type == "temp" else None
    employee.contract_end = contract_end if employment_type == "temp" else None
    employee.language = language
    employee.active = active
    if new_password:
        employee.password_hash = hash_password(new_password)
        employee.session_version += 1
    if role != employee.role:
        employee.supervised_teams.clear()
    employee.role = role
    if role == "supervisor" and team is not None and team not in employee.supervised_teams:
        employee.supervised_teams.append(team)
    db.session.flush()
    return employee


def admit_employee(actor: Employee, username: str, *, password: str, **fields) -> Employee:
    """Create an employee from the people page (HR and admin)."""
    _check_may_manage(actor, fields.get("role", "agent"))
    return create_employee(username, password=password, **fields)


def set_team_budget(actor: Employee, team_id: int, budget: int | None) -> Team:
    """Set a team's monthly award budget; None returns it to the site default."""
    if actor.role not in ("hr", "admin"):
        raise Forbidden(_("Only HR and admin set budgets."))
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound(_("No such team."))
    if budget is not None and not 0 <= budget <= 10_000_000:
        raise DomainError(_("A budget is a whole number of points from 0 to 10000000."))
    team.monthly_award_budget = budget
    db.session.flush()
    return team


def list_teams() -> list[Team]:
    """Every team by name, with its members and supervisors loaded (the teams page)."""
    query = (
        select(Team)
        .options(selectinload(Team.members), selectinload(Team.supervisors))
        .order_by(Team.name)
    )
    return list(db.session.scalars(query))


def people_with_balances(actor: Employee, page: int) -> PeoplePage:
    """One page of the employees the actor may see, with their balances.

    A supervisor sees their teams; HR and admin see everyone; active people first.
    """
    query = (
        select(Employee)
        .options(joinedload(Employee.team))
        .order_by(Employee.active.desc(), Employee.display_name, Employee.id)
    )
    if actor.role == "supervisor":
        query = query.where(Employee.team_id.in_([t.id for t in actor.supervised_teams]))
    found = paginate(query, page)
    ids = [person.id for person in found.items]
    balances = dict(
        db.session.execute(
            select(Balance.employee_id, Balance.points).where(Balance.employee_id.in_(ids))
        ).all()
    )
    return PeoplePage(found, [(person, balances.get(person.id)) for person in found.items])
