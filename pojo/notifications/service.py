"""In-app notifications: written in the same transaction as what they tell about.

A notification keeps its kind and parameters, not a text, so each reader
sees it in their own language. The feature behind a kind words it: it hands
its texts over in `Feature.notices` (`pojo.awards.notices`, `pojo.outcomes.notices`,
`pojo.market.notices`). Each notice left is announced (`pojo.signals.notices_left`) in the
same transaction: the mail feature queues the e-mail of those that matter.
"""

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app, g
from flask_babel import force_locale
from sqlalchemy import ScalarSelect, func, insert, select, update

from pojo.database import utcnow
from pojo.extensions import db
from pojo.features import installed
from pojo.notifications.models import Notification
from pojo.pagination import Pagination, paginate
from pojo.rows import in_language
from pojo.signals import notices_left
from pojo.unit_of_work import delete_in_batches


def link_to(endpoint: str, **values) -> str:
    """A site-relative URL for a notification, built without a request (jobs have none)."""
    return current_app.url_map.bind("").build(endpoint, values)


def notify(
    employee_id: int, kind: str, link: str | None = None, *, at: datetime | None = None, **params
) -> Notification:
    """Leave a notification of `kind` for an employee; `params` fill its message.

    `at` dates it when the event behind it is backdated (demo data, imports).
    """
    if kind not in installed().notices:
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
    _count_in_bell(employee_id, 1)
    _announce(kind, [(employee_id, params)], link, at)
    return notification


def notify_many(
    kind: str,
    recipients: list[tuple[int, dict]],
    link: str | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Leave one notification of `kind` for each (employee id, params), in one statement."""
    if kind not in installed().notices:
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
    for employee_id, _params in recipients:
        _count_in_bell(employee_id, 1)
    _announce(kind, list(recipients), link, at)


def _announce(kind: str, recipients: list[tuple[int, dict]], link, at) -> None:
    notices_left.send(
        current_app._get_current_object(), kind=kind, recipients=recipients, link=link, at=at
    )


def unread_count_of(employee_id) -> ScalarSelect:
    """The bell's number as a subquery: the user loader reads it in the user's own statement.

    `employee_id` is an id or a column (`Employee.id`), so it correlates with the row.
    """
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.employee_id == employee_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_count(employee_id: int) -> int:
    """How many notifications the employee has not read (the bell's number)."""
    return db.session.scalar(select(unread_count_of(employee_id)))


# The bell's number for the employees whose count this request (app context) already read,
# kept up to date by what the request itself notifies or marks read.
_BELL = "pojo_unread_notifications"


def remember_unread(employee_id: int, count: int) -> None:
    """Keep a count read with the user (the user loader), so the bell costs no query."""
    g.setdefault(_BELL, {})[employee_id] = count


def bell_count(employee_id: int) -> int:
    """The bell's number: as read with the user, else from the database."""
    known = g.setdefault(_BELL, {})
    if employee_id not in known:
        known[employee_id] = unread_count(employee_id)
    return known[employee_id]


def _count_in_bell(employee_id: int, change: int | None) -> None:
    """Follow this request's own notices in the remembered count (None: all were read)."""
    known = g.get(_BELL)
    if known is not None and employee_id in known:
        known[employee_id] = 0 if change is None else known[employee_id] + change


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
    _count_in_bell(employee_id, None)
    return result.rowcount


def both_names(prefix: str, row) -> dict:
    """A bilingual row's names as a notification keeps them, so each reader sees their own:
    ``{"<prefix>_en": row.name_en, "<prefix>_fi": row.name_fi}``."""
    return {f"{prefix}_en": row.name_en, f"{prefix}_fi": row.name_fi}


def name_in(params: dict, prefix: str, language: str) -> str:
    """The name `both_names` kept under `prefix`, in `language`."""
    return in_language(language, params.get(f"{prefix}_en", ""), params.get(f"{prefix}_fi", ""))


# kind -> its text: a function of the notification's params and the reader's language,
# called inside that language's locale. Each feature adds its kinds in `Feature.notices`.
Text = Callable[[dict, str], str]


def render_message(notification: Notification, language: str) -> str:
    """The notification's text in `language`."""
    params = json.loads(notification.params or "{}")
    with force_locale(language):
        return installed().notices[notification.kind](params, language)


def prune_read(day_start: datetime, days: int) -> int:
    """Delete read notifications created `days` before `day_start` (the nightly job).

    Unread ones stay however old: the bell still counts them.
    """
    return delete_in_batches(
        Notification,
        Notification.read_at.is_not(None),
        Notification.created_at < day_start - timedelta(days=days),
    )
