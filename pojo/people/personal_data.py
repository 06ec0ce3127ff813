"""The people feature's part of an employee's personal data download: profile, contract events."""

from pojo.people.models import ContractEvent, Employee
from pojo.rows import newest_rows


def profile(employee: Employee) -> dict:
    """Who they are in Pojo (no password hash, no session version)."""
    return {
        "username": employee.username,
        "display_name": employee.display_name,
        "email": employee.email,
        "role": employee.role,
        "team": employee.team.name if employee.team else None,
        "supervises_teams": [team.name for team in employee.supervised_teams],
        "employment_type": employee.employment_type,
        "agency": employee.agency_name,
        "contract_end": employee.contract_end,
        "language": employee.language,
        "active": employee.active,
        "created_at": employee.created_at,
        "tour_seen_at": employee.tour_seen_at,
    }


def contract_events(employee: Employee) -> list[dict]:
    """The reminders sent and the end handled for their contract, newest first."""
    rows = newest_rows(ContractEvent, ContractEvent.employee_id == employee.id, ContractEvent.at)
    return [
        {
            "contract_end": row.contract_end,
            "kind": row.kind,
            "outcome": row.outcome,
            "points": row.points,
            "at": row.at,
        }
        for row in rows
    ]


PARTS = {"profile": profile, "contract_events": contract_events}
