"""Users imports: create or update employees from a CSV, whole or not at all.

Columns `username, name, email, role, team, employment_type, agency,
contract_end`. The checks are the people forms' (`pojo.people.service`):
the username's form, the role among the roles and one the importing user may
grant (GRANT_ROLE; an account they may not edit is refused), a temp's agency,
lengths and the e-mail's form. An unknown team is created (the preview lists
it as new). No password is imported: a new account gets a one-time
set-password link.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from pojo.audit import service as audit
from pojo.extensions import db
from pojo.history import csvrows, passwords
from pojo.outcomes.csvfile import CsvFileError, read_table
from pojo.outcomes.service import Rejection
from pojo.people import service as people
from pojo.people.changes import audit_state, audit_subject, edit_action
from pojo.people.models import EMPLOYMENT_TYPES, Employee
from pojo.people.policy import EDIT_EMPLOYEE, GRANT_ROLE, MANAGE_ACCESS
from pojo.policy import ROLES, can

COLUMNS = ("username", "name", "email", "role", "team", "employment_type", "agency", "contract_end")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
_USERNAME = re.compile(r"[a-z0-9._-]{1,64}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
FIELDS = ("display_name", "email", "role", "team", "employment_type", "agency_name", "contract_end")


@dataclass
class Person:
    line: int
    username: str
    display_name: str
    email: str | None
    role: str
    team: str
    employment_type: str
    agency_name: str | None
    contract_end: date | None


@dataclass
class UsersPreview:
    rows: int
    new: list[Person] = field(default_factory=list)
    changed: list[tuple[Person, list[str]]] = field(default_factory=list)
    unchanged: list[Person] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)


def _row(line: int, f: dict[str, str]) -> Person:
    username = f["username"].lower()
    if not _USERNAME.fullmatch(username):
        raise ValueError(_("A username is 1–64 letters, digits, dots, dashes or underscores."))
    name = " ".join(f["name"].split())
    if len(name) > 120:
        raise ValueError(_("name is longer than %(n)s characters.", n=120))
    email = f["email"] or None
    if email is not None and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        raise ValueError(_("email %(value)s is not an e-mail address.", value=email[:60]))
    role = f["role"].lower()
    if role not in ROLES:
        raise ValueError(_("Unknown role %(role)s.", role=role[:20]))
    team = " ".join(f["team"].split())
    if not team or len(team) > 80:
        raise ValueError(_("A team name is 1–80 characters."))
    kind = f["employment_type"].lower() or "permanent"
    if kind not in EMPLOYMENT_TYPES:
        raise ValueError(_("Unknown employment type %(type)s.", type=kind[:20]))
    agency = " ".join(f["agency"].split()) or None
    end = None
    if kind == "temp":
        if not agency:
            raise ValueError(_("A temp needs the name of their agency."))
        if len(agency) > 120:
            raise ValueError(_("agency is longer than %(n)s characters.", n=120))
        if f["contract_end"]:
            try:
                end = date.fromisoformat(f["contract_end"])
            except ValueError:
                raise ValueError(
                    _(
                        "contract_end %(value)s is not a date like 2026-12-31.",
                        value=f["contract_end"][:20],
                    )
                ) from None
    elif agency or f["contract_end"]:
        raise ValueError(_("Only a temp has an agency and a contract end; leave them empty."))
    return Person(line, username, name or username, email, role, team, kind, agency, end)


def _current(employee: Employee) -> dict:
    return {
        "display_name": employee.display_name,
        "email": employee.email,
        "role": employee.role,
        "team": employee.team.name.lower() if employee.team else None,
        "employment_type": employee.employment_type,
        "agency_name": employee.agency_name,
        "contract_end": employee.contract_end,
    }


def _wanted(person: Person) -> dict:
    values = {name: getattr(person, name) for name in FIELDS if name != "team"}
    return {**values, "team": person.team.lower()}


def _refusal(actor, employee: Employee | None, person: Person) -> str | None:
    if actor is None:
        return None
    if employee is not None and employee.id == actor.id:
        return _("This row is about you: change your own account on the people page.")
    if employee is not None and not can(actor, EDIT_EMPLOYEE, employee):
        return _("Only an admin can edit an admin account.")
    if (employee is None or employee.role != person.role) and not can(
        actor, GRANT_ROLE, person.role
    ):
        return _("Only an admin can make someone HR or admin.")
    if (
        employee is not None
        and employee.role != person.role
        and not can(actor, MANAGE_ACCESS, employee)
    ):
        return _("Only an admin can change the password, role or status of an HR or admin account.")
    return None


def preview_text(actor: Employee | None, text: str) -> UsersPreview:
    """What importing this decoded users file as `actor` would do; nothing is written."""
    try:
        rows, rejected = read_table(text, COLUMNS, _row, max_rows=MAX_ROWS)
    except CsvFileError as error:
        from pojo.errors import InvalidInput

        raise InvalidInput(error.message, field="file") from None
    preview = UsersPreview(rows=len(rows) + len(rejected), rejected=list(rejected))
    seen: set[str] = set()
    teams = {team.name.lower() for team in people.list_teams()}
    for person in rows:
        if person.username in seen:
            preview.rejected.append(
                Rejection(
                    person.line,
                    "invalid",
                    _("%(username)s is on an earlier line too.", username=person.username),
                )
            )
            continue
        seen.add(person.username)
        employee = people.find_employee(person.username)
        refusal = _refusal(actor, employee, person)
        if refusal:
            preview.rejected.append(Rejection(person.line, "forbidden", refusal))
            continue
        if person.team.lower() not in teams:
            teams.add(person.team.lower())
            preview.new_teams.append(person.team)
        if employee is None:
            preview.new.append(person)
            continue
        now, wanted = _current(employee), _wanted(person)
        differ = [name for name in FIELDS if now[name] != wanted[name]]
        (preview.changed.append((person, differ)) if differ else preview.unchanged.append(person))
    preview.rejected.sort()
    return preview


def summary(preview: UsersPreview) -> str:
    return _(
        "%(rows)s rows: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(rejected)s rejected; %(teams)s new teams.",
        rows=preview.rows,
        new=len(preview.new),
        changed=len(preview.changed),
        unchanged=len(preview.unchanged),
        rejected=len(preview.rejected),
        teams=len(preview.new_teams),
    )


def apply_preview(actor: Employee | None, preview: UsersPreview) -> list[tuple[str, str]]:
    """Write a clean preview; (username, set-password path) for each account created."""
    csvrows.refuse_rejected(preview.rejected)
    links = []
    for person in preview.new:
        employee = people.create_employee(
            person.username,
            role=person.role,
            team_name=person.team,
            password=None,
            display_name=person.display_name,
            email=person.email,
            employment_type=person.employment_type,
            agency_name=person.agency_name,
            contract_end=person.contract_end,
        )
        audit.record(
            actor, "employee.created", audit_subject(employee), None, audit_state(employee)
        )
        links.append((employee.username, f"/set-password/{passwords.new_link(employee)}"))
    for person, _differ in preview.changed:
        employee = people.find_employee(person.username)
        team = people.get_or_create_team(person.team)
        role_changed = employee.role != person.role
        before = audit_state(employee)
        for name in (
            "display_name",
            "email",
            "role",
            "employment_type",
            "agency_name",
            "contract_end",
        ):
            setattr(employee, name, getattr(person, name))
        if role_changed:
            employee.supervised_teams.clear()
            employee.session_version += 1
        if employee.team_id != team.id or role_changed:
            employee.team = team
            if (
                people.SUPERVISE_TEAM.given_to(person.role)
                and team not in employee.supervised_teams
            ):
                employee.supervised_teams.append(team)
        db.session.flush()
        after = audit_state(employee)
        audit.record(actor, edit_action(before, after), audit_subject(employee), before, after)
    db.session.flush()
    audit.record(
        actor,
        "users.imported",
        audit.Subject("import", None, summary(preview)),
        None,
        {
            "created": sorted(person.username for person in preview.new),
            "changed": sorted(person.username for person, _differ in preview.changed),
            "new_teams": sorted(preview.new_teams),
        },
    )
    return links
