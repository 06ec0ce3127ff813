"""Login with throttling, server-side sessions, and the employee's own settings."""

import hashlib
import math
import secrets
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, select, update
from werkzeug.security import check_password_hash

from pojo.auth import throttle
from pojo.auth.models import UserSession
from pojo.auth.throttle import LoginLimits
from pojo.database import utcnow
from pojo.errors import DomainError, LoginThrottled
from pojo.extensions import db
from pojo.features import installed
from pojo.notifications.service import remember_unread, unread_count_of
from pojo.people.models import LANGUAGES, Employee
from pojo.people.service import MIN_PASSWORD_LENGTH, find_employee, hash_password

# A fixed hash to compare against when the user does not exist, so a wrong
# username takes as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password")


def authenticate(
    username: str, password: str, address: str | None, limits: LoginLimits
) -> Employee | None:
    """The employee when the credentials are right; None when wrong.

    Raises LoginThrottled, without checking the password, when the pair, the
    account or the address has failed too often in the current window.
    """
    username = username.strip().lower()[:64]
    address = (address or "unknown")[:64]
    reservation = throttle.reserve(username, address, limits)
    if reservation is None:
        wait = throttle.seconds_left(utcnow(), limits.window_minutes)
        raise LoginThrottled(
            _(
                "Too many failed logins. Try again in %(minutes)s minutes.",
                minutes=math.ceil(wait / 60),
            ),
            retry_after=wait,
        )
    employee = find_employee(username)
    stored = employee.password_hash if employee and employee.password_hash else _DUMMY_HASH
    ok = (
        check_password_hash(stored, password)
        and employee is not None
        and employee.password_hash is not None
        and employee.active
    )
    if not ok:
        return None
    throttle.release(reservation)
    return employee


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(employee: Employee) -> str:
    """Open a server-side session; the returned token belongs in the session cookie only."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(employee_id=employee.id, token_hash=_digest(token)))
    db.session.flush()
    return token


def page_after_login(employee: Employee, next_page: str) -> str:
    """Where a login through the form goes: a page a feature shows first (the first-login
    tour, `Feature.after_login`), which then goes on to `next_page`; else `next_page`."""
    for first_page in installed().after_login:
        found = first_page(employee, next_page)
        if found:
            return found
    return next_page


def end_session(token: str | None) -> None:
    """End the session with this token: a copy of its cookie opens nothing any more."""
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_sessions_of(employee: Employee) -> int:
    """End every live session of this employee (deactivation); returns how many ended."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.employee_id == employee.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount


@cache
def _session_user_query() -> Select:
    """The user loader's one statement, built once: every request runs it, only values change."""
    return (
        select(Employee, unread_count_of(Employee.id))
        .join(UserSession, UserSession.employee_id == Employee.id)
        .where(
            Employee.id == bindparam("employee_id"),
            Employee.session_version == bindparam("session_version"),
            Employee.active.is_(True),
            UserSession.token_hash == bindparam("token_hash"),
            UserSession.ended_at.is_(None),
        )
    )


def session_user(employee_id: int, session_version: int, token: str | None) -> Employee | None:
    """The active employee whose live session `token` is; else None.

    One statement for what every logged-in page needs: the employee, the live
    session and the bell's unread count (kept for the bell, which then asks
    nothing). The session version still ends every session of an employee at
    once (deactivation, a password set by HR).
    """
    if not token:
        return None
    found = db.session.execute(
        _session_user_query(),
        {
            "employee_id": employee_id,
            "session_version": session_version,
            "token_hash": _digest(token),
        },
    ).one_or_none()
    if found is None:
        return None
    employee, unread = found
    remember_unread(employee.id, unread)
    return employee


def change_password(employee: Employee, current: str, new: str, *, keep_session: str) -> None:
    """Set a new password after checking the current one; ends the other sessions."""
    if not employee.password_hash or not check_password_hash(employee.password_hash, current):
        raise DomainError(_("The current password is not right."))
    if len(new) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    employee.password_hash = hash_password(new)
    db.session.execute(
        update(UserSession)
        .where(
            UserSession.employee_id == employee.id,
            UserSession.token_hash != _digest(keep_session),
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )
    db.session.flush()


def set_language(employee: Employee, language: str) -> None:
    """Save the employee's language."""
    if language not in LANGUAGES:
        raise DomainError(_("Unknown language."))
    employee.language = language
    db.session.flush()
