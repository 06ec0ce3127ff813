"""Pojopörssi for everyone: the board, a reward's page, redeeming, goals, own redemptions."""

from flask import (
    abort,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from pojo.database import utcnow
from pojo.errors import DomainError
from pojo.extensions import db
from pojo.formatting import format_points
from pojo.forms import ConfirmForm
from pojo.ledger.service import balance_of
from pojo.market import display, goals, redemptions
from pojo.market.blueprint import bp
from pojo.market.board import board_page, board_refresh
from pojo.market.forms import GoalForm, RedeemForm
from pojo.market.models import Reward
from pojo.market.policy import VIEW_REWARD
from pojo.market.reward_detail import reward_detail
from pojo.notifications.service import bell_count
from pojo.pagination import requested_page
from pojo.policy import EVERYONE, can
from pojo.rows import site_zone
from pojo.web import allow, flash_refusal, local_path, new_request_id, sections


def _board_args() -> tuple:
    """The board's ?category=, ?page=, ?falling=1 and ?reach=1; any other value is no filter."""
    flags = {name: request.args.get(name) == "1" for name in ("falling", "reach")}
    return (current_user, g.language, request.args.get("category"), requested_page()), flags


@bp.route("/market")
@allow(EVERYONE)
def board():
    # An unknown ?category= shows everything; a page past the end, the last page.
    args, flags = _board_args()
    return render_template("market/board.html", body=board_page(*args, **flags))


@bp.route("/market/board.json")
@allow(EVERYONE)
def board_data():
    """The figures of one board page (as the board's query string) for board.js's refresh."""
    args, flags = _board_args()
    figures = board_refresh(*args, **flags)
    response = jsonify(at=utcnow().isoformat(), unread=bell_count(current_user.id), **figures)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/market/rewards/<int:reward_id>")
@allow(EVERYONE, object_rule=VIEW_REWARD)
def reward(reward_id: int):
    detail = reward_detail(current_user, reward_id)
    balance = balance_of(current_user.id)
    goal = goals.goal_status(current_user)
    return render_template(
        "market/reward.html",
        detail=detail,
        balance=balance,
        action=display.action(detail.price, detail.stock_left, balance),
        change_24h=display.change(detail.change_24h_pct, "24h"),
        change_7d=display.change(detail.change_7d_pct, "7d"),
        # The history ends with the price now.
        series=display.price_series(detail.history),
        price_range=display.price_range(detail.history),
        zone=site_zone().key,
        daily=display.daily_closes(detail.closes),
        demand=display.demand_days(detail.recent_redemptions_by_day),
        is_goal=goal is not None and goal.reward.id == reward_id,
        goal_form=GoalForm(reward=reward_id),
        action_form=ConfirmForm(),
        # A reward of another kind puts its own redeem form here (a shift swap: which shift).
        redeem_panels=sections("reward_redeem", reward=detail.reward, actor=current_user),
    )


@bp.route("/market/rewards/<int:reward_id>/image")
@allow(VIEW_REWARD, object_rule=VIEW_REWARD)
def reward_image(reward_id: int):
    reward = db.session.get(Reward, reward_id)
    # A withdrawn reward does not exist for those who may not see it: nor does its image.
    if reward is None or not can(current_user, VIEW_REWARD, reward):
        abort(404)
    if not reward.image_type or reward.image is None:
        abort(404)
    response = make_response(reward.image)
    response.headers["Content-Type"] = reward.image_type
    response.headers["Cache-Control"] = "private, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


def _refused(error: DomainError, reward_id: int | None):
    """The refusal page: a moved price offers the new price, anything else says why.

    Its status is the error's (4xx), so the commit point keeps nothing the redemption did.
    """
    reward = db.session.get(Reward, reward_id) if reward_id else None
    new_price = error.details.get("price") if error.code == "price_moved" else None
    form = RedeemForm(
        formdata=None, reward=reward_id, max_price=new_price, request_id=new_request_id()
    )
    return render_template(
        "market/refused.html", error=error, reward=reward, new_price=new_price, form=form
    ), error.status


@bp.route("/market/redeem", methods=["POST"])
@allow(EVERYONE)
def redeem():
    form = RedeemForm()
    if not form.validate_on_submit():
        return render_template("market/refused.html", error=None, reward=None, form=form), 400
    try:
        made = redemptions.redeem(
            current_user,
            form.reward.data,
            form.max_price.data,
            request_id=form.request_id.data,
            details={"shift": form.shift.data, "offered_to": form.offered_to.data},
        )
    except DomainError as error:
        return _refused(error, form.reward.data)
    if made.reward.kind == "shift_swap":
        flash(
            _(
                "Your shift is on the swap board for %(price)s points. If nobody covers it by "
                "the deadline, the points come back.",
                price=format_points(made.price_paid),
            ),
            "success",
        )
        return redirect(url_for("shifts.mine"))
    flash(
        _(
            "You redeemed %(reward)s for %(price)s points. HR will hand it over; "
            "you will get a notification.",
            reward=made.reward.name(g.language),
            price=format_points(made.price_paid),
        ),
        "success",
    )
    return redirect(url_for("ledger.wallet"))


def _back_or_wallet():
    # Only our own pages: an open redirect would turn a button into a phishing link.
    return redirect(local_path(request.form.get("next")) or url_for("ledger.wallet"))


@bp.route("/market/goal", methods=["POST"])
@allow(EVERYONE)
def set_goal():
    form = GoalForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        goals.set_goal(current_user, form.reward.data)
    except DomainError as error:
        flash_refusal(error)
        return _back_or_wallet()
    flash(_("Goal pinned. Your wallet shows how close you are."), "success")
    return redirect(url_for("ledger.wallet"))


@bp.route("/market/goal/clear", methods=["POST"])
@allow(EVERYONE)
def clear_goal():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    goals.clear_goal(current_user)
    flash(_("Goal cleared."), "success")
    return _back_or_wallet()


@bp.route("/market/redemptions")
@allow(EVERYONE)
def my_redemptions():
    return render_template(
        "market/redemptions.html",
        redemptions=redemptions.redemption_history(current_user, requested_page()),
    )


def wallet_section(employee, **_context):
    """The wallet's market panel: the savings goal and pending redemptions."""
    return "market/_wallet.html", {
        "own": employee.id == current_user.id,
        "goal": goals.goal_status(employee),
        "pending": redemptions.redemptions_for(employee, status="pending"),
        "form": ConfirmForm(),
    }
