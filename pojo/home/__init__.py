"""The front door: sends each role to the page it opens first."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from pojo.features import installed
from pojo.policy import PUBLIC
from pojo.web import allow

bp = Blueprint("home", __name__)


@bp.route("/")
@allow(PUBLIC)
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    # Each feature may name a role's first page (`Feature.start_pages`): the ledger gives
    # everyone the wallet, awards send supervisors to the award form, the market agents to the board.
    start = installed().start_pages.get(current_user.role, "ledger.wallet")
    return redirect(url_for(start))


def feature():
    from pojo.features import Feature

    return Feature(name="home", blueprints=(bp,))
