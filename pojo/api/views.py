"""API v1 endpoints of the foundation: me, criteria, awards, ledgers; and the document."""

from flask import current_app, jsonify
from flask_babel import gettext as _

from pojo import bounds
from pojo.api.framework import api_blueprint, api_view
from pojo.api.openapi import document
from pojo.api.schema import Array, Integer, Object, String, Timestamp
from pojo.awards import service as awards
from pojo.errors import Forbidden
from pojo.features import installed
from pojo.ledger import service as ledger
from pojo.people.models import Employee
from pojo.people.service import can_view_ledger, get_employee
from pojo.web import EVERYONE, PUBLIC, allow

bp = api_blueprint("api", __name__)

ME = Object(
    {
        "username": String(max_length=64),
        "name": String(max_length=120),
        "role": String(max_length=16),
        "employment_type": String(max_length=16),
        "team": String(max_length=80, nullable=True),
        "balance": Integer.within(bounds.BALANCE),
    }
)


def me_schema() -> Object:
    """The caller's own fields and those the installed features add (`Feature.me_fields`)."""
    return ME.with_fields(**{name: field.schema for name, field in installed().me_fields.items()})


CRITERION = Object(
    {
        "code": String(max_length=40),
        "name": String(max_length=120),
        "tier": String(max_length=16, description="good or excellent"),
        "points": Integer(minimum=1),
        "description": String(min_length=0, max_length=100_000),
    }
)

AWARD_REQUEST = Object(
    {
        "employee": String(max_length=64, description="username"),
        "criterion": String(max_length=40, description="criterion code"),
        "note": String(max_length=500, description="what was good; the employee sees it"),
    }
)

AWARD = Object(
    {
        "id": Integer.within(bounds.ROW_ID),
        "employee": String(max_length=64),
        "criterion": String(max_length=40),
        "points": Integer(minimum=1),
        "created_at": Timestamp(),
    }
)

ENTRY = Object(
    {
        "id": Integer.within(bounds.ROW_ID),
        "at": Timestamp(),
        "points": Integer(),
        "kind": String(max_length=20),
        "reference": String(max_length=40, nullable=True),
        "note": String(min_length=0, max_length=500, nullable=True),
    }
)

LEDGER = Object(
    {
        "username": String(max_length=64),
        "balance": Integer.within(bounds.BALANCE),
        "entries": Array(ENTRY, max_items=200),
        "next_before": Integer.within(
            bounds.ROW_ID, nullable=True, description="pass as ?before= for the next page"
        ),
    }
)

LEDGER_QUERY = {
    "limit": Integer.within(bounds.PAGE_SIZE, description="entries per page (default 50)"),
    "before": Integer.within(bounds.ROW_ID, description="entries with a smaller id"),
}


@bp.route("/openapi.json")
@allow(PUBLIC)
def openapi():
    return jsonify(document(current_app))


@bp.route("/me")
@api_view(EVERYONE, responses={200: me_schema})
def me(caller: Employee):
    """The caller: who they are, their balance and their savings goal."""
    found = {
        "username": caller.username,
        "name": caller.display_name,
        "role": caller.role,
        "employment_type": caller.employment_type,
        "team": caller.team.name if caller.team else None,
        "balance": ledger.balance_of(caller.id),
    }
    found.update({name: field.provider(caller) for name, field in installed().me_fields.items()})
    return found


@bp.route("/criteria")
@api_view(EVERYONE, responses={200: Array(CRITERION, max_items=100_000)})
def criteria(caller: Employee):
    """The criteria catalogue: what earns points, and how many."""
    return [
        {
            "code": criterion.code,
            "name": criterion.name(caller.language),
            "tier": criterion.tier,
            "points": criterion.points,
            "description": criterion.description(caller.language),
        }
        for criterion in awards.list_criteria()
    ]


@bp.route("/awards", methods=["POST"])
@api_view(
    *awards.AWARDING_ROLES, body=AWARD_REQUEST, responses={201: AWARD}, errors=(403, 404, 422)
)
def create_award(caller: Employee, body: dict):
    """Award a criterion to an employee, by the same rules as the award form.

    403 for an employee outside the caller's teams (`not_in_team`) or an agent
    caller; 404 for an unknown employee or criterion; 422 `self_award`,
    `over_budget`, or an inactive employee or retired criterion.
    """
    made = awards.award(caller, body["employee"], body["criterion"], body["note"])
    return {
        "id": made.id,
        "employee": made.employee.username,
        "criterion": made.criterion.code,
        "points": made.points,
        "created_at": made.created_at.isoformat(),
    }, 201


@bp.route("/employees/<username>/ledger")
@api_view(EVERYONE, query=LEDGER_QUERY, responses={200: LEDGER}, errors=(403, 404))
def employee_ledger(caller: Employee, username: str, query: dict):
    """An employee's balance and ledger entries, newest first, a page at a time.

    Allowed for the employee, their team's supervisors, HR and admin.
    """
    employee = get_employee(username)
    if not can_view_ledger(caller, employee):
        raise Forbidden(_("You may not see this employee's ledger."))
    page = ledger.entries_page(employee.id, limit=query["limit"] or 50, before=query["before"])
    entries = page.items
    return {
        "username": employee.username,
        "balance": ledger.balance_of(employee.id),
        "entries": [
            {
                "id": entry.id,
                "at": entry.at.isoformat(),
                "points": entry.points,
                "kind": entry.kind,
                "reference": entry.reference,
                "note": entry.note,
            }
            for entry in entries
        ],
        "next_before": page.next_before,
    }
