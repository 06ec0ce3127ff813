"""Swap pages: the team's swap board, taking and withdrawing, a supervisor's approvals."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.bounds import query_int
from pojo.errors import DomainError, Forbidden
from pojo.forms import ConfirmForm
from pojo.people.settings import get_setting
from pojo.policy import EVERYONE, can
from pojo.shifts.service import plannable_teams
from pojo.swaps import board, service
from pojo.swaps.policy import APPROVE_SWAPS, SET_SWAP_RULES
from pojo.web import allow, flash_refusal, local_path

bp = Blueprint("swaps", __name__, url_prefix="/swaps")


def _team_shown():
    """The team whose board is shown: one's own, or one a supervisor or HR asks for."""
    teams = plannable_teams(current_user)
    asked = query_int("team")
    chosen = next((t for t in teams if t.id == asked), None)
    if chosen is None and current_user.team_id is None and teams:
        chosen = teams[0]
    return chosen, teams


@bp.route("")
@allow(EVERYONE)
def board_page():
    team, teams = _team_shown()
    team_id = team.id if team else current_user.team_id
    deciding = team is not None and can(current_user, APPROVE_SWAPS, team)
    return render_template(
        "swaps/board.html",
        team=team,
        teams=teams,
        open_swaps=board.open_swaps(current_user, team_id),
        awaiting=board.awaiting_approval(team_id) if deciding else [],
        deciding=deciding,
        mine=board.swaps_of(current_user),
        form=ConfirmForm(),
        rules={
            "deadline": get_setting(service.DEADLINE_SETTING),
            "rest": get_setting(service.REST_SETTING),
        },
        sets_rules=can(current_user, SET_SWAP_RULES),
    )


def _act(action, swap_id: int, done: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("swaps.board_page"))
    try:
        swap = action(current_user, swap_id)
    except Forbidden:
        raise  # not this person's to decide: the 403 page, as the route's gate answers
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(done(swap) if callable(done) else done, "success")
    # Only a path on this site: a posted "next" must not send anyone elsewhere.
    return redirect(local_path(request.form.get("next")) or url_for("swaps.board_page"))


@bp.route("/<int:swap_id>/take", methods=["POST"])
@allow(EVERYONE)
def take(swap_id: int):
    return _act(service.take, swap_id, _taken)


def _taken(swap) -> str:
    if swap.status == "covered":
        return _("The shift is yours now; it is in your shifts.")
    return _("You took the shift. It moves to you once a supervisor approves.")


@bp.route("/<int:swap_id>/withdraw", methods=["POST"])
@allow(EVERYONE)
def withdraw(swap_id: int):
    return _act(service.withdraw, swap_id, _("Swap withdrawn; the points are refunded."))


@bp.route("/<int:swap_id>/approve", methods=["POST"])
@allow(APPROVE_SWAPS, object_rule=APPROVE_SWAPS)
def approve(swap_id: int):
    return _act(service.approve, swap_id, _("Approved: the shift moved to its taker."))


@bp.route("/<int:swap_id>/turn-down", methods=["POST"])
@allow(APPROVE_SWAPS, object_rule=APPROVE_SWAPS)
def turn_down(swap_id: int):
    return _act(service.turn_down, swap_id, _("Turned down: the shift is back on the board."))


@bp.route("/team-approval", methods=["POST"])
@allow(APPROVE_SWAPS)
def team_approval():
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            service.set_team_approval(
                current_user, query_int("team"), request.form.get("needs_approval") == "1"
            )
        except Forbidden:
            raise  # another team's choice: the 403 page
        except DomainError as error:
            flash_refusal(error)
        else:
            flash(_("Saved."), "success")
    return redirect(url_for("swaps.board_page", team=query_int("team")))


@bp.route("/rules", methods=["POST"])
@allow(SET_SWAP_RULES)
def rules():
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            service.set_swap_rules(
                current_user,
                request.form.get("deadline", "")[:10],
                request.form.get("rest", "")[:10],
            )
        except DomainError as error:
            flash_refusal(error)
        else:
            flash(_("Saved."), "success")
    return redirect(url_for("swaps.board_page"))


def reward_panel(reward=None, actor=None, **_context):
    """`sections["reward_redeem"]`: the shift picker in place of a shift-swap reward's button."""
    if reward is None or reward.kind != "shift_swap":
        return None
    colleagues = [
        member
        for member in (actor.team.members if actor.team else [])
        if member.active and member.id != actor.id
    ]
    return "swaps/_reward_panel.html", {
        "shifts": service.swappable_shifts(actor),
        "colleagues": colleagues,
    }


def my_shifts_panel(employee=None, **_context):
    """`sections["my_shifts"]`: one's shifts on the swap board, and where to swap one away."""
    if employee is None:
        return None
    return "swaps/_my_shifts.html", {
        "active": [swap for swap in board.swaps_of(employee) if swap.active][:20],
        "rewards": board.swap_rewards(),
    }
