"""HR and admin pages of the exchange: the reward catalogue and the redemption queue."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.errors import DomainError
from pojo.formatting import format_points
from pojo.forms import ConfirmForm, form_status, show_refusal
from pojo.market import catalogue, queue, redemptions
from pojo.market.blueprint import bp
from pojo.market.board import board_rows
from pojo.market.forms import CancelForm, QueueFilterForm, RewardForm
from pojo.market.policy import FULFIL_REDEMPTIONS, MANAGE_CATALOGUE
from pojo.pagination import requested_page
from pojo.people.listing import filter_teams
from pojo.web import allow, flash_refusal


@bp.route("/market/admin/rewards")
@allow(MANAGE_CATALOGUE)
def admin_rewards():
    prices = {row.reward.id: row for row in board_rows()}
    return render_template(
        "market/admin_rewards.html", rewards=catalogue.list_rewards(), prices=prices
    )


@bp.route("/market/admin/rewards/new", methods=["GET", "POST"], defaults={"reward_id": None})
@bp.route("/market/admin/rewards/<int:reward_id>/edit", methods=["GET", "POST"])
@allow(MANAGE_CATALOGUE)
def edit_reward(reward_id: int | None):
    reward = catalogue.get_reward(reward_id) if reward_id is not None else None
    form = RewardForm(obj=reward)
    if form.validate_on_submit():
        if form.preview.data:
            return _preview(form, reward)
        try:
            if reward is None:
                saved = catalogue.create_reward(current_user, **form.reward_fields())
            else:
                saved = catalogue.update_reward(current_user, reward.id, **form.reward_fields())
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("%(name)s saved.", name=saved.name(current_user.language)), "success")
            return redirect(url_for("market.admin_rewards"))
    status = form_status(form)
    return render_template("market/edit_reward.html", form=form, reward=reward), status


def _preview(form: RewardForm, reward):
    """The form shown again, unsaved, with the price its settings would make."""
    try:
        if reward is None:
            preview = catalogue.preview_new_reward(**form.reward_fields())
        else:
            preview = catalogue.preview_price(reward.id, **form.reward_fields())
    except DomainError as error:
        show_refusal(form, error)
        return render_template("market/edit_reward.html", form=form, reward=reward), 422
    return render_template("market/edit_reward.html", form=form, reward=reward, preview=preview)


def _render_queue(cancel_form: CancelForm, failed_id: int | None = None):
    form = QueueFilterForm(request.args)
    form.reward.choices = [("", _("Any reward"))] + [
        (str(reward.id), reward.name(current_user.language)) for reward in queue.queue_rewards()
    ]
    form.team.choices = [("", _("Any team"))] + [
        (str(team.id), team.name) for team in filter_teams(current_user)
    ]
    context = {"form": form, "cancel_form": cancel_form, "failed_id": failed_id}
    if not form.validate():
        return render_template("market/queue.html", redemptions=None, **context), 400
    filters = queue.QueueFilter(
        status={"any": None, "": "pending"}.get(form.status.data, form.status.data),
        text=form.q.data or None,
        reward_id=int(form.reward.data) if form.reward.data else None,
        team_id=int(form.team.data) if form.team.data else None,
        since=form.since.data,
        until=form.until.data,
    )
    found = queue.redemptions_page(current_user, requested_page(), filters)
    return render_template("market/queue.html", redemptions=found, **context)


@bp.route("/market/admin/redemptions", endpoint="queue")
@allow(FULFIL_REDEMPTIONS)
def queue_page():
    return _render_queue(CancelForm())


@bp.route("/market/admin/redemptions/<int:redemption_id>/fulfil", methods=["POST"])
@allow(FULFIL_REDEMPTIONS)
def fulfil(redemption_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        done = redemptions.fulfil(current_user, redemption_id)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("Marked as handed over to %(name)s.", name=done.employee.display_name), "success")
    return redirect(url_for("market.queue"))


@bp.route("/market/admin/redemptions/<int:redemption_id>/cancel", methods=["POST"])
@allow(FULFIL_REDEMPTIONS)
def cancel(redemption_id: int):
    form = CancelForm()
    if not form.validate_on_submit():
        return _render_queue(form, failed_id=redemption_id), 422
    try:
        done = redemptions.cancel(current_user, redemption_id, form.reason.data)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(
            _(
                "Cancelled; %(points)s points refunded to %(name)s.",
                points=format_points(done.price_paid),
                name=done.employee.display_name,
            ),
            "success",
        )
    return redirect(url_for("market.queue"))
