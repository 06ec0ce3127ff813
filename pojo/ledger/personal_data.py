"""The ledger's part of an employee's personal data download: balance and entries."""

from pojo.ledger.models import LedgerEntry
from pojo.ledger.service import balance_of
from pojo.people.models import Employee
from pojo.rows import newest_rows


def ledger(employee: Employee) -> dict:
    """Their balance and their entries, newest first."""
    rows = newest_rows(LedgerEntry, LedgerEntry.employee_id == employee.id, LedgerEntry.at)
    return {
        "balance": balance_of(employee.id),
        "entries": [
            {
                "at": row.at,
                "points": row.points,
                "kind": row.kind,
                "note": row.note,
                "reference": row.reference,
            }
            for row in rows
        ],
    }


PARTS = {"ledger": ledger}
