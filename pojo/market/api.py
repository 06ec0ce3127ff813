"""The exchange in API v1: rewards with their prices, redemptions, and the goal in /me."""

from pojo import bounds
from pojo.api import (
    Integer,
    Object,
    Raw,
    String,
    Timestamp,
    api_blueprint,
    api_view,
)
from pojo.ledger.service import balance_of
from pojo.market import board, goals, redemptions
from pojo.market.models import CATEGORIES
from pojo.market.reward_detail import reward_detail
from pojo.people.models import Employee
from pojo.web import EVERYONE

bp = api_blueprint("market_api", __name__)

POINTS = Integer(minimum=1)
PERCENT = Raw({"type": "number"}, nullable=True)

REWARD = Object(
    {
        "id": Integer.within(bounds.ROW_ID),
        "name": String(max_length=120),
        "category": String(max_length=16, description=" | ".join(CATEGORIES)),
        "price": POINTS,
        "base_price": POINTS,
        "floor_price": POINTS,
        "ceiling_price": POINTS,
        "stock_left": Integer(minimum=0, nullable=True, description="null when unlimited"),
        "change_24h_pct": PERCENT,
    }
)
HISTORY_POINT = Object({"at": Timestamp(), "price": POINTS})
REWARD_DETAIL = REWARD.with_fields(
    history=Raw(
        {
            "type": "array",
            "items": HISTORY_POINT.openapi(),
            "description": "recorded prices of the last 90 days, oldest first",
        }
    )
)
REDEMPTION_REQUEST = Object(
    {
        "reward": Integer.within(bounds.ROW_ID),
        "max_price": Integer.within(
            bounds.ACCEPTED_PRICE, description="the most you accept to pay"
        ),
    }
)
REDEMPTION = Object(
    {
        "id": Integer.within(bounds.ROW_ID),
        "reward": Integer.within(bounds.ROW_ID),
        "price_paid": POINTS,
        "status": String(max_length=16, description="pending | fulfilled | cancelled"),
        "balance_after": Integer.within(bounds.BALANCE),
    }
)
GOAL = Object(
    {
        "reward": Integer.within(bounds.ROW_ID),
        "price": POINTS,
        "progress_pct": Integer(minimum=0, maximum=100),
    },
    nullable=True,
    description="the pinned savings goal against its current price; null without one",
)


def _reward(reward, price: int, change_24h_pct: float | None, language: str) -> dict:
    return {
        "id": reward.id,
        "name": reward.name(language),
        "category": reward.category,
        "price": price,
        "base_price": reward.base_price,
        "floor_price": reward.floor_price,
        "ceiling_price": reward.ceiling_price,
        "stock_left": reward.stock,
        "change_24h_pct": change_24h_pct,
    }


@bp.route("/rewards")
@api_view(EVERYONE, responses={200: Raw({"type": "array", "items": REWARD.openapi()})})
def rewards(caller: Employee):
    """Every reward on the exchange with its current price and 24-hour change."""
    return board.listing(caller.language, _listed)


def _listed(row: board.BoardRow, language: str) -> dict:
    # Shaped once per market version and language, kept with the board's cache.
    return _reward(row.reward, row.price, row.change_24h_pct, language)


@bp.route("/rewards/<int:reward_id>")
@api_view(EVERYONE, responses={200: REWARD_DETAIL}, errors=(404,))
def reward(caller: Employee, reward_id: int):
    """One reward with its price history (last 90 days); a withdrawn one is 404 but to HR."""
    detail = reward_detail(caller, reward_id)
    found = _reward(detail.reward, detail.price, detail.change_24h_pct, caller.language)
    found["history"] = [{"at": at.isoformat(), "price": price} for at, price in detail.history]
    return found


@bp.route("/redemptions", methods=["POST"])
@api_view(EVERYONE, body=REDEMPTION_REQUEST, responses={201: REDEMPTION}, errors=(404, 409, 422))
def redeem(caller: Employee, body: dict):
    """Redeem a reward at its current price, if that is at most max_price.

    409 `price_moved` (the error carries the current `price`) or
    `out_of_stock`; 422 `insufficient_points`, `limit_reached` or
    `reward_unavailable`; nothing is charged when refused.
    """
    made = redemptions.redeem(caller, body["reward"], body["max_price"])
    return {
        "id": made.id,
        "reward": made.reward_id,
        "price_paid": made.price_paid,
        "status": made.status,
        "balance_after": balance_of(caller.id),
    }, 201


def goal_of(employee: Employee) -> dict | None:
    """The goal as /api/v1/me reports it."""
    status = goals.goal_status(employee)
    if status is None:
        return None
    return {"reward": status.reward.id, "price": status.price, "progress_pct": status.progress_pct}
