"""Who may see and manage whom: the people pages, accounts, roles and ledgers.

Supervisors act on the teams they supervise, HR and admin on every team;
only an admin manages an HR or admin account, so nobody in HR can take over
or lock out a colleague.
"""

from flask_babel import lazy_gettext as _l

from pojo.policy import ROLES, can, capability

# Accounts only an admin edits the access of, and roles only an admin gives.
_PRIVILEGED = ("hr", "admin")

VIEW_PEOPLE = capability(
    "view_people",
    ("supervisor", "hr", "admin"),
    "Open the people list, the teams page and an employee's ledger page",
)
OVERSEE_ALL_TEAMS = capability(
    "oversee_all_teams",
    ("hr", "admin"),
    "See, award and record outcomes for every team, not only the teams one supervises",
)
SUPERVISE_TEAM = capability(
    "supervise_team",
    ("supervisor",),
    "Be put in charge of the team one joins: see, award and record for its members",
)
MANAGE_PEOPLE = capability(
    "manage_people",
    ("hr", "admin"),
    "Add employees and teams",
    refusal=_l("Only HR and admin manage people."),
)


def _anyone_but_an_admin(actor, employee) -> bool:
    """HR: anyone but an admin; an admin: anyone"""
    return actor.role == "admin" or employee.role != "admin"


EDIT_EMPLOYEE = capability(
    "edit_employee",
    ("hr", "admin"),
    "Change an employee's details, team and employment",
    check=_anyone_but_an_admin,
    refusal=_l("Only an admin can edit an admin account."),
)


def _unprivileged_account(actor, employee) -> bool:
    """HR: agents and supervisors; an admin: anyone"""
    return actor.role == "admin" or employee.role not in _PRIVILEGED


MANAGE_ACCESS = capability(
    "manage_access",
    ("hr", "admin"),
    "Set an account's password, role and active flag",
    check=_unprivileged_account,
    refusal=_l("Only an admin can change the password, role or status of an HR or admin account."),
)


def _unprivileged_role(actor, role: str) -> bool:
    """HR: agent or supervisor; an admin: any role"""
    return role in ROLES and (actor.role == "admin" or role not in _PRIVILEGED)


GRANT_ROLE = capability(
    "grant_role",
    ("hr", "admin"),
    "Give a role to a new or an existing employee",
    check=_unprivileged_role,
    refusal=_l("Only an admin can make someone HR or admin."),
)


def _self_or_overseen(actor, employee) -> bool:
    """their own; a supervisor: their teams' members; HR and admin: anyone"""
    return actor.id == employee.id or can(actor, OVERSEE_ALL_TEAMS) or actor.supervises(employee)


VIEW_LEDGER = capability(
    "view_ledger",
    ROLES,
    "See an employee's balance and ledger entries",
    check=_self_or_overseen,
    refusal=_l("You may not see this employee's ledger."),
)


def grantable_roles(actor) -> tuple[str, ...]:
    """The roles the actor may give (the role field's choices)."""
    return tuple(role for role in ROLES if can(actor, GRANT_ROLE, role))


MANAGE_CONTRACTS = capability(
    "manage_contracts",
    ("hr", "admin"),
    "See temps' contracts ending soon, extend them, and choose what happens to unspent points",
    refusal=_l("Only HR and admin manage contracts."),
)
