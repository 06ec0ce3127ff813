"""The exchange in API v1: rewards with their prices, redemptions, and the goal in /me."""

from flask import jsonify

from pojo import bounds
from pojo.api import (
    Nested,
    Number,
    Schema,
    Text,
    Timestamp,
    Whole,
    api_blueprint,
)
from pojo.ledger.service import balance_of
from pojo.market import board, goals, redemptions
from pojo.market.models import CATEGORIES
from pojo.market.policy import VIEW_REWARD
from pojo.market.reward_detail import reward_detail
from pojo.people.models import Employee
from pojo.policy import EVERYONE

bp = api_blueprint("market_api", __name__)

POINTS = bounds.Bound(1, bounds.INT32.maximum)


class Reward(Schema):
    id = Whole(bounds.ROW_ID)
    name = Text(120)
    category = Text(16, description=" | ".join(CATEGORIES))
    price = Whole(POINTS)
    base_price = Whole(POINTS)
    floor_price = Whole(POINTS)
    ceiling_price = Whole(POINTS)
    stock_left = Whole(
        bounds.Bound(0, bounds.INT32.maximum), allow_none=True, description="null when unlimited"
    )
    change_24h_pct = Number(allow_none=True)


class HistoryPoint(Schema):
    at = Timestamp()
    price = Whole(POINTS)


class RewardDetail(Reward):
    history = Nested(
        HistoryPoint,
        many=True,
        description="recorded prices of the last 90 days, oldest first",
    )


class RedemptionRequest(Schema):
    reward = Whole(bounds.ROW_ID)
    max_price = Whole(bounds.ACCEPTED_PRICE, description="the most you accept to pay")
    shift = Whole(
        bounds.ROW_ID,
        required=False,
        description="shift-swap rewards: the id of one of your own coming shifts to swap away",
    )
    offered_to = Text(
        64,
        required=False,
        description="shift-swap rewards: offer the shift to this colleague (username) only",
    )


class Redemption(Schema):
    id = Whole(bounds.ROW_ID)
    reward = Whole(bounds.ROW_ID)
    price_paid = Whole(POINTS)
    status = Text(16, description="pending | fulfilled | cancelled")
    balance_after = Whole(bounds.BALANCE)


class Goal(Schema):
    reward = Whole(bounds.ROW_ID)
    price = Whole(POINTS)
    progress_pct = Whole(bounds.Bound(0, 100))


GOAL = Nested(
    Goal,
    allow_none=True,
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
@bp.api_view(EVERYONE, response=Reward(many=True))
def rewards(caller: Employee):
    """Every reward on the exchange with its current price and 24-hour change."""
    # Ready JSON: the rows are shaped once with the board's cache, not dumped again.
    return jsonify(board.listing(caller.language, _listed))


def _listed(row: board.BoardRow, language: str) -> dict:
    # Shaped once per market version and language, kept with the board's cache.
    return _reward(row.reward, row.price, row.change_24h_pct, language)


@bp.route("/rewards/<int:reward_id>")
@bp.api_view(EVERYONE, response=RewardDetail, errors=(404,), object_rule=VIEW_REWARD)
def reward(caller: Employee, reward_id: int):
    """One reward with its price history (last 90 days); a withdrawn one is 404 but to HR."""
    detail = reward_detail(caller, reward_id)
    found = _reward(detail.reward, detail.price, detail.change_24h_pct, caller.language)
    # Ready JSON: an hourly price for 90 days is up to 2,160 points, too many to dump one by one.
    found["history"] = [{"at": at.isoformat(), "price": price} for at, price in detail.history]
    return jsonify(found)


@bp.route("/redemptions", methods=["POST"])
@bp.api_view(
    EVERYONE, body=RedemptionRequest, response=Redemption, status=201, errors=(404, 409, 422)
)
def redeem(caller: Employee, body: dict):
    """Redeem a reward at its current price, if that is at most max_price.

    409 `price_moved` (the error carries the current `price`) or
    `out_of_stock`; 422 `insufficient_points`, `limit_reached` or
    `reward_unavailable`; nothing is charged when refused. A shift-swap reward
    needs `shift`: 422 `shift_required` without it, `not_your_shift` for
    another's, `too_late` inside the swap deadline window; 409
    `already_on_board` when that shift is on the swap board already.
    """
    details = {key: body[key] for key in ("shift", "offered_to") if key in body}
    made = redemptions.redeem(caller, body["reward"], body["max_price"], details=details)
    return {
        "id": made.id,
        "reward": made.reward_id,
        "price_paid": made.price_paid,
        "status": made.status,
        "balance_after": balance_of(caller.id),
    }


def goal_of(employee: Employee) -> dict | None:
    """The goal as /api/v1/me reports it."""
    status = goals.goal_status(employee)
    if status is None:
        return None
    return {"reward": status.reward.id, "price": status.price, "progress_pct": status.progress_pct}
