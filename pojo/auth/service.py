"""Login with throttling: failed tries are counted in the database, per account
and per address, so every gunicorn worker sees the same count."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from pojo.database import utcnow
from pojo.errors import DomainError
from pojo.extensions import db
from pojo.people.models import Employee, LoginAttempt
from pojo.people.service import MIN_PASSWORD_LENGTH, find_employee, hash_password

# A fixed hash to compare against when the user does not exist, so a wrong
# username takes as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password")


class LoginThrottled(DomainError):
    code = "too_many_attempts"
    status = 429


def _recent_failures(column, value: str, window_minutes: int) -> int:
    since = utcnow() - timedelta(minutes=window_minutes)
    return db.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    )


def authenticate(
    username: str, password: str, address: str, *, max_failures: int, window_minutes: int
) -> Employee | None:
    """The employee when the credentials are right; None when wrong.

    Raises LoginThrottled when the account or the address has failed too
    often recently; the attempt is recorded either way.
    """
    username = username.strip().lower()[:64]
    address = (address or "unknown")[:64]
    if (
        _recent_failures(LoginAttempt.username, username, window_minutes) >= max_failures
        or _recent_failures(LoginAttempt.address, address, window_minutes) >= max_failures * 4
    ):
        raise LoginThrottled(
            _("Too many failed logins. Try again in %(minutes)s minutes.", minutes=window_minutes)
        )
    employee = find_employee(username)
    stored = employee.password_hash if employee and employee.password_hash else _DUMMY_HASH
    ok = (
        check_password_hash(stored, password)
        and employee is not None
        and employee.password_hash is not None
    )
    if ok and not employee.active:
        ok = False
    db.session.add(LoginAttempt(username=username, address=address, succeeded=ok))
    db.session.flush()
    return employee if ok else None


def change_password(employee: Employee, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends other sessions."""
    if not employee.password_hash or not check_password_hash(employee.password_hash, current):
        raise DomainError(_("The current password is not right."))
    if len(new) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    employee.password_hash = hash_password(new)
    employee.session_version += 1
    db.session.flush()


def set_language(employee: Employee, language: str) -> None:
    if language not in ("fi", "en"):
        raise DomainError(_("Unknown language."))
    employee.language = language
    db.session.flush()


def end_sessions(employee: Employee) -> None:
    """Make every session cookie of this employee stop working."""
    employee.session_version += 1
    db.session.flush()
