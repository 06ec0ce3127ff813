"""Idempotency-Key for POSTs, as Stripe does it.

Per caller and key we keep a hash of the request and the first successful
response. A retry with the same key and body gets that response again and
does nothing; the same key with another body is refused (422); a key whose
first request is still running is refused (409).

The key is claimed in a short transaction of its own before the work starts,
so concurrent retries on other workers see it. The response is written into
the claim in the request's own transaction, so it is committed together with
the effect or not at all. A refused request (4xx/5xx) changed nothing, so its
claim is dropped and the key can be retried. A claim left behind by a killed
worker is taken over after STALE_CLAIM; records older than RETENTION are
deleted when their owner next sends a keyed request.
"""

import hashlib
from datetime import timedelta

from flask import Response, current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from pojo.api.models import IdempotencyRecord
from pojo.database import utcnow
from pojo.errors import Conflict, DomainError, InvalidInput
from pojo.extensions import db

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
RETENTION = timedelta(hours=24)
# Longer than any request may run (gunicorn kills a worker after 30 s by default).
STALE_CLAIM = timedelta(minutes=2)
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


def _replay(record: IdempotencyRecord) -> Response:
    return current_app.response_class(
        record.response_body,
        status=record.status_code,
        mimetype="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


def claim(caller_id: int, key: str, method: str, path: str, digest: str) -> int | Response:
    """The stored first response to replay, or the id of a fresh, committed claim."""
    for _attempt in range(2):
        now = utcnow()
        db.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.employee_id == caller_id,
                IdempotencyRecord.created_at < now - RETENTION,
            )
        )
        record = db.session.scalars(
            select(IdempotencyRecord)
            .where(IdempotencyRecord.employee_id == caller_id, IdempotencyRecord.key == key)
            .execution_options(populate_existing=True)
        ).one_or_none()
        if record is not None:
            if record.request_hash != digest:
                raise KeyReused(
                    _("This Idempotency-Key was used with a different request; use a new key.")
                )
            if record.status_code != IN_FLIGHT:
                return _replay(record)
            taken = db.session.execute(
                update(IdempotencyRecord)
                .where(
                    IdempotencyRecord.id == record.id,
                    IdempotencyRecord.status_code == IN_FLIGHT,
                    IdempotencyRecord.created_at < now - STALE_CLAIM,
                )
                .values(created_at=now)
            ).rowcount
            if not taken:
                raise KeyInUse(_("A request with this Idempotency-Key is still being processed."))
            record_id = record.id
        else:
            record = IdempotencyRecord(
                employee_id=caller_id,
                key=key,
                method=method,
                path=path[:255],
                request_hash=digest,
                status_code=IN_FLIGHT,
                response_body="",
                created_at=now,
            )
            db.session.add(record)
            try:
                db.session.flush()
            except IntegrityError:
                # Another worker claimed it between our read and insert: look again.
                db.session.rollback()
                continue
            record_id = record.id
        db.session.commit()
        return record_id
    raise KeyInUse(_("A request with this Idempotency-Key is still being processed."))


def finish(record_id: int, response: Response) -> None:
    """Keep the response in the request's transaction: committed with the effect."""
    db.session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(status_code=response.status_code, response_body=response.get_data(as_text=True))
    )


def abandon(record_id: int) -> None:
    """Drop the claim of a refused request (its work is rolled back), so the key can retry."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.id == record_id, IdempotencyRecord.status_code == IN_FLIGHT
        )
    )
    db.session.commit()
