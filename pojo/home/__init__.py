"""The front door: sends each role to the page it opens first."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from pojo.web import PUBLIC, allow

bp = Blueprint("home", __name__)

# Where each role starts; features may point a role elsewhere (the market sends agents to the board).
START_PAGES = {
    "agent": "ledger.wallet",
    "supervisor": "awards.new_award",
    "hr": "ledger.wallet",
    "admin": "ledger.wallet",
}


@bp.route("/")
@allow(PUBLIC)
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(START_PAGES.get(current_user.role, "ledger.wallet")))


def init_app(app):
    app.register_blueprint(bp)
