"""One-time set-password links for accounts a users import made (no password is imported).

The token is shown once (to HR, to hand out); only its SHA-256 is stored. A
link works once, until it expires; setting the password ends it and every
other open link of the account.
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from pojo.database import utcnow
from pojo.errors import InvalidInput, NotFound
from pojo.extensions import db
from pojo.history.models import PasswordLink
from pojo.people.models import Employee
from pojo.people.service import MIN_PASSWORD_LENGTH, hash_password

VALID_FOR = timedelta(days=7)
MAX_PASSWORD_LENGTH = 200


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(employee: Employee) -> str:
    """A fresh token for `employee`'s link (its path is /set-password/<token>)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordLink(
            employee_id=employee.id,
            token_hash=_hash(token),
            created_at=utcnow(),
            expires_at=utcnow() + VALID_FOR,
        )
    )
    db.session.flush()
    return token


def live_link(token: str) -> PasswordLink:
    """The unused, unexpired link of this token, or NotFound."""
    if not token or len(token) > 100:
        raise NotFound(_("This link is not valid; ask HR for a new one."))
    link = db.session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _hash(token)))
    if (
        link is None
        or link.used_at is not None
        or link.expires_at <= utcnow()
        or not link.employee.active
    ):
        raise NotFound(_("This link is not valid; ask HR for a new one."))
    return link


def set_password(token: str, password: str, confirm: str) -> Employee:
    """Set the account's password through its link; the link is dead afterwards."""
    link = live_link(token)
    if len(password) < MIN_PASSWORD_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            _("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if password != confirm:
        raise InvalidInput(_("The two passwords differ."), field="confirm")
    employee = link.employee
    employee.password_hash = hash_password(password)
    employee.session_version += 1
    now = utcnow()
    db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.employee_id == employee.id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.flush()
    return employee
