"""What the audit log keeps of an employee around HR's change to them."""

from pojo.audit import service as audit
from pojo.people.models import Employee

EMPLOYEE_FIELDS = (
    "username",
    "display_name",
    "email",
    "role",
    "employment_type",
    "agency_name",
    "contract_end",
    "language",
    "active",
)


def audit_state(employee: Employee) -> dict:
    """What the audit log keeps of an employee before and after HR's change (no password)."""
    return {
        **audit.snapshot(employee, EMPLOYEE_FIELDS),
        "team": employee.team.name if employee.team else None,
        "supervises": sorted(team.name for team in employee.supervised_teams),
    }


def audit_subject(employee: Employee) -> audit.Subject:
    return audit.Subject("employee", employee.id, f"{employee.display_name} (@{employee.username})")


def edit_action(before: dict, after: dict) -> str:
    """The word for an edit: a deactivation or a new role says more than "edited"."""
    if before["active"] and not after["active"]:
        return "employee.deactivated"
    if after["active"] and not before["active"]:
        return "employee.reactivated"
    if before["role"] != after["role"]:
        return "employee.role_changed"
    return "employee.edited"
