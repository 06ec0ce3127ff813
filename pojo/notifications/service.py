"""In-app notifications: written in the same transaction as what they tell about.

A notification keeps its kind and parameters, not a text, so each reader
sees it in their own language. The feature behind a kind words it: it hands
its texts over with `register_texts` (the market: `pojo.market.notices`).
"""

import json
from collections.abc import Callable, Mapping
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from pojo.database import utcnow
from pojo.extensions import db
from pojo.formatting import format_points
from pojo.notifications.models import Notification
from pojo.pagination import Pagination, paginate


def link_to(endpoint: str, **values) -> str:
    """A site-relative URL for a notification, built without a request (jobs have none)."""
    return current_app.url_map.bind("").build(endpoint, values)


def notify(
    employee_id: int, kind: str, link: str | None = None, *, at: datetime | None = None, **params
) -> Notification:
    """Leave a notification of `kind` for an employee; `params` fill its message.

    `at` dates it when the event behind it is backdated (demo data, imports).
    """
    if kind not in _texts():
        raise ValueError(f"unknown notification kind {kind!r}")
    notification = Notification(
        employee_id=employee_id,
        kind=kind,
        link=link,
        params=json.dumps(params),
        created_at=at or utcnow(),
    )
    db.session.add(notification)
    db.session.flush()
    return notification


def notify_many(
    kind: str,
    recipients: list[tuple[int, dict]],
    link: str | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Leave one notification of `kind` for each (employee id, params), in one statement."""
    if kind not in _texts():
        raise ValueError(f"unknown notification kind {kind!r}")
    if not recipients:
        return
    created_at = at or utcnow()
    db.session.execute(
        insert(Notification),
        [
            {
                "employee_id": employee_id,
                "kind": kind,
                "link": link,
                "params": json.dumps(params),
                "created_at": created_at,
            }
            for employee_id, params in recipients
        ],
    )


def unread_count(employee_id: int) -> int:
    """How many notifications the employee has not read (the bell's number)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.employee_id == employee_id, Notification.read_at.is_(None))
    )


def _newest_first(employee_id: int):
    return (
        select(Notification)
        .where(Notification.employee_id == employee_id)
        .order_by(Notification.id.desc())
    )


def recent(employee_id: int, limit: int = 30) -> list[Notification]:
    """The employee's latest notifications, newest first."""
    return list(db.session.scalars(_newest_first(employee_id).limit(limit)))


def notifications_page(employee_id: int, page: int) -> Pagination:
    """One page of the employee's notifications, newest first (the bell's list)."""
    return paginate(_newest_first(employee_id), page)


def mark_all_read(employee_id: int) -> int:
    """Mark every unread notification of the employee read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.employee_id == employee_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


def _criterion(params: dict, language: str) -> str:
    return params.get("criterion_fi" if language == "fi" else "criterion_en", "")


def _import_decided(params: dict, _language: str) -> str:
    if params.get("rejected"):
        if params.get("reason"):
            return _(
                "Your outcome import %(file)s was rejected by %(who)s. Reason: %(reason)s",
                file=params["file"],
                who=params["who"],
                reason=params["reason"],
            )
        return _(
            "Your outcome import %(file)s was rejected by %(who)s.",
            file=params["file"],
            who=params["who"],
        )
    return ngettext(
        "Your outcome import %(file)s was applied by %(who)s: %(points)s points from %(num)s outcome.",
        "Your outcome import %(file)s was applied by %(who)s: %(points)s points from %(num)s outcomes.",
        params["outcomes"],
        file=params["file"],
        who=params["who"],
        points=format_points(params["points"]),
    )


# kind -> its text: a function of the notification's params and the reader's language,
# called inside that language's locale. These kinds still live here (awards, outcomes);
# other features add theirs with `register_texts`.
Text = Callable[[dict, str], str]

_MESSAGES: dict[str, Text] = {
    # The awarder's name and the note are kept as written; the criterion in both languages.
    "award_received": lambda p, lang: _(
        "%(who)s awarded you %(points)s points for %(criterion)s: %(note)s",
        who=p["who"],
        points=format_points(p["points"]),
        criterion=_criterion(p, lang),
        note=p.get("note", ""),
    ),
    "outcome_points": lambda p, lang: ngettext(
        "You earned %(points)s points from %(num)s outcome.",
        "You earned %(points)s points from %(num)s outcomes.",
        p["outcomes"],
        points=format_points(p["points"]),
    ),
    "outcome_import_pending": lambda p, lang: _(
        "%(who)s submitted the outcome import %(file)s: it waits for your approval.",
        who=p["who"],
        file=p["file"],
    ),
    "outcome_import_decided": _import_decided,
}


_TEXTS = "pojo.notifications.texts"


def register_texts(app, texts: Mapping[str, Text]) -> None:
    """Add a feature's notification kinds to `app`, each with the function that words it.

    Called from the feature's setup: the feature owns what its notices say,
    this module only stores and lists them. Kept per app, as every feature
    registration is (pojo.features).
    """
    app.extensions.setdefault(_TEXTS, dict(_MESSAGES)).update(texts)


def _texts() -> Mapping[str, Text]:
    # The kinds still worded here, and those the app's features registered.
    return current_app.extensions.get(_TEXTS, _MESSAGES)


def render_message(notification: Notification, language: str) -> str:
    """The notification's text in `language`."""
    params = json.loads(notification.params or "{}")
    with force_locale(language):
        return _texts()[notification.kind](params, language)
