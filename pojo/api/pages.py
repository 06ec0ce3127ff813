"""The API tokens page: admin lists and revokes every token, HR their own."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.api import tokens
from pojo.api.policy import MANAGE_TOKENS, REVOKE_TOKEN
from pojo.errors import DomainError
from pojo.forms import ConfirmForm
from pojo.web import allow

bp = Blueprint("api_tokens", __name__)


@bp.route("/tokens")
@allow(MANAGE_TOKENS)
def index():
    return render_template(
        "api/tokens.html", tokens=tokens.visible_tokens(current_user), form=ConfirmForm()
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(MANAGE_TOKENS, object_rule=REVOKE_TOKEN)
def revoke(token_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        token = tokens.get_token(token_id)
        changed = tokens.revoke(token, current_user)
    except DomainError as error:
        abort(error.status)
    if changed:
        flash(_("Token %(prefix)s… revoked; it no longer works.", prefix=token.prefix), "success")
    return redirect(url_for("api_tokens.index"))
