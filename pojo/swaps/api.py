"""Shift swaps in API v1: one's coming shifts, the team's swap board, taking a swap.

(`GET /api/v1/shifts` lives here rather than with the shifts, because each shift
names its swap; the shifts' own calendar feed is `pojo.shifts.api`.)
"""

from pojo import bounds
from pojo.api import Nested, Schema, Text, Timestamp, Whole, api_blueprint
from pojo.people.models import Employee
from pojo.policy import EVERYONE
from pojo.swaps import board, service

bp = api_blueprint("swaps_api", __name__)

STATUSES = "open | awaiting_approval | covered | withdrawn | expired"


class SwapRef(Schema):
    id = Whole(bounds.ROW_ID)
    status = Text(20, description=STATUSES)


class Shift(Schema):
    id = Whole(bounds.ROW_ID)
    starts_at = Timestamp()
    ends_at = Timestamp()
    label = Text(120, min_length=0)
    swap = Nested(SwapRef, allow_none=True, description="the shift's open swap; null without one")


class ShiftRef(Schema):
    id = Whole(bounds.ROW_ID)
    starts_at = Timestamp()
    ends_at = Timestamp()
    label = Text(120, min_length=0)


class Swap(Schema):
    id = Whole(bounds.ROW_ID)
    shift = Nested(ShiftRef)
    requested_by = Text(64, description="username")
    deadline = Timestamp(description="after this nobody can take it; uncovered, it is refunded")
    status = Text(20, description=STATUSES)


def _swap(swap) -> dict:
    shift = swap.shift
    return {
        "id": swap.id,
        "shift": {
            "id": shift.id,
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "label": shift.label,
        },
        "requested_by": swap.requested_by.username,
        "deadline": swap.deadline,
        "status": swap.status,
    }


@bp.route("/shifts")
@bp.api_view(EVERYONE, response=Shift(many=True))
def shifts(caller: Employee):
    """The caller's own coming shifts, soonest first, each with its open swap or null."""
    return [
        {
            "id": shift.id,
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "label": shift.label,
            "swap": {"id": swap.id, "status": swap.status} if swap else None,
        }
        for shift, swap in board.future_shifts(caller)
    ]


@bp.route("/swaps")
@bp.api_view(EVERYONE, response=Swap(many=True))
def swaps(caller: Employee):
    """The open swaps in the caller's team that the caller may see, soonest shift first."""
    return [_swap(swap) for swap in board.open_swaps(caller)]


@bp.route("/swaps/<int:swap_id>/take", methods=["POST"])
@bp.api_view(EVERYONE, response=Swap, errors=(403, 404, 409, 422))
def take(caller: Employee, swap_id: int):
    """Take a colleague's swap: covered at once (status `covered`), or `awaiting_approval`
    where the team wants a supervisor to approve.

    409 `already_taken`; 422 `overlap`, `rest_period`, `contract_ended`, `not_in_team`,
    `own_swap` or `too_late` (past the deadline); nothing changes when refused.
    """
    return _swap(service.take(caller, swap_id))


@bp.route("/swaps/<int:swap_id>/withdraw", methods=["POST"])
@bp.api_view(EVERYONE, response=Swap, errors=(404, 409))
def withdraw(caller: Employee, swap_id: int):
    """Withdraw one's own uncovered swap; the price is refunded in full (status `withdrawn`)."""
    return _swap(service.withdraw(caller, swap_id))
