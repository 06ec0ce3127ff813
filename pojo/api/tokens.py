"""API bearer tokens: created once, stored as a SHA-256, revocable.

A token acts with its owner's role. It stops working when revoked or when
its owner is deactivated (checked on every request, so at once).
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from pojo.api.models import ApiToken
from pojo.api.policy import MANAGE_ALL_TOKENS, REVOKE_TOKEN
from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import DomainError, NotFound
from pojo.extensions import db
from pojo.people.models import Employee
from pojo.people.service import get_employee
from pojo.policy import can, require

TOKEN_PREFIX = "pojo_"
SHOWN_PREFIX_LENGTH = 12
# last_used_at is advisory; writing it at most this often keeps requests from
# queueing on the token row.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(username: str, name: str = "") -> tuple[ApiToken, str]:
    """A new token for an active employee; the plain token is returned once, never stored."""
    employee = get_employee(username)
    if not employee.active:
        raise DomainError(_("%(username)s is not active.", username=employee.username))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        employee=employee,
        token_hash=hash_token(plain),
        prefix=plain[:SHOWN_PREFIX_LENGTH],
        name=name.strip()[:80],
    )
    db.session.add(token)
    db.session.flush()
    # Made on the command line only: by whoever runs the server, so by no employee.
    audit.record(
        None,
        "token.created",
        _subject(token, employee),
        None,
        {"employee": employee.username, "name": token.name},
    )
    return token, plain


def _subject(token: ApiToken, owner: Employee) -> audit.Subject:
    return audit.Subject("token", token.id, f"{token.prefix}… {token.name} (@{owner.username})")


def authenticate(plain: str) -> Employee | None:
    """The active owner of a valid, unrevoked token, else None."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    row = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, Employee)
        .join(Employee, Employee.id == ApiToken.employee_id)
        .where(ApiToken.token_hash == hash_token(plain), ApiToken.revoked_at.is_(None))
    ).one_or_none()
    if row is None or not row.Employee.active:
        return None
    now = utcnow()
    if row.last_used_at is None or row.last_used_at < now - LAST_USED_RESOLUTION:
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.id == row.id)
            .where(
                or_(
                    ApiToken.last_used_at.is_(None),
                    ApiToken.last_used_at < now - LAST_USED_RESOLUTION,
                )
            )
            .values(last_used_at=now)
        )
    return row.Employee


def _listing():
    return select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())


def visible_tokens(actor: Employee) -> list[ApiToken]:
    """Admin sees every token; anyone else only their own."""
    if can(actor, MANAGE_ALL_TOKENS):
        return visible_tokens_all()
    return list(db.session.scalars(_listing().where(ApiToken.employee_id == actor.id)))


def visible_tokens_all() -> list[ApiToken]:
    return list(db.session.scalars(_listing()))


def tokens_of(employee: Employee) -> list[ApiToken]:
    return list(db.session.scalars(_listing().where(ApiToken.employee_id == employee.id)))


def find_tokens(reference: str) -> list[ApiToken]:
    """Tokens named by id, by their shown prefix, or by the full token."""
    reference = reference.strip()
    if reference.isdigit():
        query = select(ApiToken).where(ApiToken.id == int(reference))
    elif len(reference) > SHOWN_PREFIX_LENGTH:
        query = select(ApiToken).where(ApiToken.token_hash == hash_token(reference))
    else:
        query = select(ApiToken).where(ApiToken.prefix == reference)
    return list(db.session.scalars(query))


def revoke(token: ApiToken, actor: Employee | None = None) -> bool:
    """Revoke a token (admin: any; others: their own). False when it already was."""
    if actor is not None:
        require(actor, REVOKE_TOKEN, token)
    if not _revoke(token):
        return False
    owner = db.session.get(Employee, token.employee_id)
    audit.record(
        actor,
        "token.revoked",
        _subject(token, owner),
        {"revoked_at": None},
        {"revoked_at": token.revoked_at},
    )
    return True


def _revoke(token: ApiToken) -> bool:
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    return True


def get_token(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(_("No such token."))
    return token


def revoke_all(username: str) -> int:
    """Revoke every live token of an employee; returns how many."""
    return revoke_tokens_of(get_employee(username))


def revoke_tokens_of(employee: Employee) -> int:
    """Revoke every live token of this employee for good (deactivation calls it)."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.employee_id == employee.id, ApiToken.revoked_at.is_(None))
    ).all()
    # Part of a deactivation, which the audit log has already: no entry per token.
    for token in tokens:
        _revoke(token)
    return len(tokens)
