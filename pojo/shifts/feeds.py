"""Secret calendar links: a URL a phone calendar subscribes to, no login needed, revocable.

The token is in the URL and is the whole credential, so only its SHA-256 is stored
and the link is shown once, when made. Making a link revokes the one before; a link
stops working when revoked, and while its owner is inactive (deactivation revokes it
for good, as it does API tokens).
"""

import hashlib
import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from pojo.database import utcnow
from pojo.errors import NotFound
from pojo.extensions import db
from pojo.people.models import Employee
from pojo.rows import lock_row
from pojo.shifts.calendar import shifts_calendar
from pojo.shifts.models import CalendarFeed

# secrets.token_urlsafe(32): 256 random bits in 43 URL-safe characters.
TOKEN_BYTES = 32
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _live(employee_id: int):
    return select(CalendarFeed).where(
        CalendarFeed.employee_id == employee_id, CalendarFeed.revoked_at.is_(None)
    )


def live_feed(actor: Employee) -> CalendarFeed | None:
    """The actor's working calendar link, if they have made one."""
    return db.session.scalars(_live(actor.id)).one_or_none()


def _revoke_live(employee_id: int) -> bool:
    feeds = db.session.scalars(_live(employee_id)).all()
    for feed in feeds:
        feed.revoked_at = utcnow()
    db.session.flush()
    return bool(feeds)


def create_feed(actor: Employee) -> str:
    """A new secret link for the actor's own shifts, replacing any earlier one.

    Returns the token, which is stored only hashed: the caller shows it once.
    """
    # One change to a person's links at a time: two made at once leave one live.
    lock_row(Employee, actor.id)
    _revoke_live(actor.id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(CalendarFeed(employee_id=actor.id, token_hash=hash_token(token)))
    db.session.flush()
    return token


def revoke_feed(actor: Employee) -> bool:
    """Stop the actor's secret link; False when they had none."""
    lock_row(Employee, actor.id)
    return _revoke_live(actor.id)


def revoke_feeds_of(employee: Employee) -> int:
    """End an employee's link for good (a deactivation calls it)."""
    return int(_revoke_live(employee.id))


def feed_calendar(token: str) -> bytes:
    """The calendar behind a secret link; NotFound for anything but a live link of an
    active employee (a malformed token is not even looked up)."""
    if not TOKEN.fullmatch(token):
        raise NotFound(_("No such calendar."))
    employee = db.session.scalars(
        select(Employee)
        .join(CalendarFeed, CalendarFeed.employee_id == Employee.id)
        .where(CalendarFeed.token_hash == hash_token(token), CalendarFeed.revoked_at.is_(None))
    ).one_or_none()
    if employee is None or not employee.active:
        raise NotFound(_("No such calendar."))
    return shifts_calendar(employee)
