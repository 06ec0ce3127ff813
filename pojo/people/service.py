"""People operations: creating employees and teams, and who may see whom."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from pojo.errors import DomainError, NotFound
from pojo.extensions import db
from pojo.ledger.models import Balance
from pojo.people.models import EMPLOYMENT_TYPES, LANGUAGES, ROLES, Employee, Team

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 8


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
