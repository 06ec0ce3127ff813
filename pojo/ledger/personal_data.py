"""The ledger's part of an employee's personal data download: balance and entries."""

from sqlalchemy import select

from pojo import bounds
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.ledger.service import balance_of
from pojo.people.models import Employee


def ledger(employee: Employee) -> dict:
    """Their balance and their entries, newest first."""
    rows = db.session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.employee_id == employee.id)
        .order_by(LedgerEntry.at.desc(), LedgerEntry.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
    )
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
