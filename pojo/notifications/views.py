"""The bell in the top bar and the list behind it."""

from flask import Blueprint, g, render_template
from flask_login import current_user

from pojo.notifications import service
from pojo.pagination import requested_page
from pojo.policy import EVERYONE
from pojo.web import allow, local_path

bp = Blueprint("notifications", __name__)


@bp.app_template_global()
def unread_notifications() -> int:
    """The bell's count, read with the user by the user loader: no query of its own."""
    return service.bell_count(current_user.id)


@bp.route("/notifications")
@allow(EVERYONE)
def index():
    notifications = service.notifications_page(current_user.id, requested_page())
    # Remember which were new before opening the list marks them read.
    unread_ids = {n.id for n in notifications if n.read_at is None}
    messages = [
        (n, service.render_message(n, g.language), _safe_link(n.link)) for n in notifications
    ]
    service.mark_all_read(current_user.id)
    return render_template(
        "notifications/index.html",
        messages=messages,
        unread_ids=unread_ids,
        pages=notifications,
    )


def _safe_link(link: str | None) -> str | None:
    """Only links within Pojo become clickable."""
    return local_path(link)
