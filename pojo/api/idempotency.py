"""Idempotency-Key for POSTs, as Stripe does it.

Per caller and key we keep a hash of the request and the first successful
response. A retry with the same key and body gets that response again and
does nothing; the same key with another body is refused (422); a key whose
first request is still running is refused (409).

The key is held by the request's own transaction, and its record is written
in that transaction with the effect, so both are committed together or not
at all. A request that is refused (4xx) or whose worker dies leaves nothing
behind, and a retry can go ahead at once:

- PostgreSQL: a transaction-level advisory lock on (caller, key), taken
  without waiting. It is released when the transaction ends, and when its
  connection dies with a killed worker. A retry that cannot take it while
  the first request runs gets 409.
- SQLite: every transaction is BEGIN IMMEDIATE (pojo.database), so one
  request at a time writes; a retry waits for the first to finish and then
  replays its response. A killed worker's transaction is rolled back by
  SQLite itself.

Records older than RETENTION are deleted when their owner next sends a keyed
request, and every night by the `prune_idempotency_records` job (`prune_expired`).
"""

import hashlib
from datetime import datetime, timedelta

from flask import Response, current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from pojo.api.models import IdempotencyRecord
from pojo.database import utcnow
from pojo.errors import Conflict, DomainError, InvalidInput
from pojo.extensions import db
from pojo.unit_of_work import delete_in_batches

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
RETENTION = timedelta(hours=24)
# The status of a claim committed before its response (versions before the lock did
# that); one found now was left by a worker that died, and is taken over.
IN_FLIGHT = 0


class KeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422


class KeyInUse(Conflict):
    code = "idempotency_key_in_use"


def valid_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all("!" <= ch <= "~" for ch in key):
        raise InvalidInput(
            _("The Idempotency-Key header is 1–255 printable ASCII characters."), field=HEADER
        )
    return key


def request_hash(method: str, path: str, canonical_body: bytes) -> str:
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(canonical_body)
    return digest.hexdigest()


def lock_id(caller_id: int, key: str) -> int:
    """The PostgreSQL advisory lock (a signed 64-bit number) that holds one caller's key."""
    digest = hashlib.sha256(f"idempotency {caller_id} {key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _hold(caller_id: int, key: str) -> None:
    """Hold the key until the request's transaction ends, or refuse it if another request does."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite: this transaction already holds the database's write lock
    held = db.session.scalar(select(func.pg_try_advisory_xact_lock(lock_id(caller_id, key))))
    if not held:
        raise KeyInUse(_("A request with this Idempotency-Key is still being processed."))


def _replay(record: IdempotencyRecord) -> Response:
    return current_app.response_class(
        record.response_body,
        status=record.status_code,
        mimetype="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


def claim(caller_id: int, key: str, digest: str) -> Response | None:
    """Hold the key for this request: the stored first response to replay, or None to go ahead."""
    _hold(caller_id, key)
    db.session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.employee_id == caller_id,
            IdempotencyRecord.created_at < utcnow() - RETENTION,
        )
    )
    record = db.session.scalars(
        select(IdempotencyRecord)
        .where(IdempotencyRecord.employee_id == caller_id, IdempotencyRecord.key == key)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if record is None:
        return None
    if record.request_hash != digest:
        raise KeyReused(_("This Idempotency-Key was used with a different request; use a new key."))
    if record.status_code == IN_FLIGHT:
        # We hold the key, so whoever committed this claim is gone: start afresh.
        db.session.delete(record)
        db.session.flush()
        return None
    return _replay(record)


def finish(caller_id: int, key: str, method: str, path: str, digest: str, response: Response):
    """Keep the first response in the request's transaction: committed with the effect."""
    db.session.add(
        IdempotencyRecord(
            employee_id=caller_id,
            key=key,
            method=method,
            path=path[:255],
            request_hash=digest,
            status_code=response.status_code,
            response_body=response.get_data(as_text=True),
            created_at=utcnow(),
        )
    )
    db.session.flush()


def prune_expired(day_start: datetime) -> int:
    """Delete every caller's records older than RETENTION at `day_start` (the nightly job)."""
    return delete_in_batches(
        IdempotencyRecord, IdempotencyRecord.created_at < day_start - RETENTION
    )
