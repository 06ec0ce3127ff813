"""The audit log: `record()` for every HR and admin action, and the log's reads.

A service calls `record(actor, action, subject, before, after)` inside its own unit
of work, after the change and before the commit point, so the entry is kept exactly
when the change is (a refused or failed action leaves none). It never commits.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo.audit.actions import ACTIONS, SUBJECT_KINDS
from pojo.audit.models import AuditEntry
from pojo.audit.policy import READ_AUDIT_LOG
from pojo.bounds import AUDIT_EXPORT_ROWS
from pojo.database import utcnow
from pojo.extensions import db
from pojo.pagination import paginate
from pojo.people.models import Employee
from pojo.policy import require
from pojo.rows import site_zone

LABEL_LENGTH = 200


class Subject(NamedTuple):
    """What an action acted on: a kind of `SUBJECT_KINDS`, its id, and its name at the time."""

    kind: str
    id: int | None
    label: str


def plain(value: object) -> object:
    """`value` as JSON holds it: dates and times in ISO 8601, decimals and enums as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def snapshot(row: object, fields: Iterable[str]) -> dict:
    """The named attributes of `row`, JSON-ready: the state `before` or `after` an action."""
    return {name: plain(getattr(row, name)) for name in fields}


def record(
    actor,
    action: str,
    subject: Subject,
    before: Mapping | None = None,
    after: Mapping | None = None,
) -> AuditEntry:
    """Append one entry: `actor` (an Employee; None for the system) did `action` to `subject`.

    `before` and `after` are the subject's state around the action (None where it did not
    exist). Flushed with the caller's transaction, never committed here.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to pojo.audit.actions")
    if subject.kind not in SUBJECT_KINDS:
        raise ValueError(f"unknown audit subject kind {subject.kind!r}")
    entry = AuditEntry(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_kind=subject.kind,
        subject_id=subject.id,
        subject_label=str(subject.label)[:LABEL_LENGTH],
        before=None if before is None else plain(before),
        after=None if after is None else plain(after),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


class AuditFilter(NamedTuple):
    """The log's filters; None is no filter. Dates are the site's days, both included."""

    actor_id: int | None = None
    action: str | None = None
    subject_kind: str | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=site_zone()).astimezone(UTC)


def _query(filters: AuditFilter):
    query = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.subject_kind:
        query = query.where(AuditEntry.subject_kind == filters.subject_kind)
    if filters.since:
        query = query.where(AuditEntry.at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEntry.at < _start_of(filters.until + timedelta(days=1)))
    return query.order_by(AuditEntry.id.desc())


def entries_page(actor, filters: AuditFilter, page: int) -> Pagination:
    """One page of the log, newest first, as filtered (HR and admin)."""
    require(actor, READ_AUDIT_LOG)
    return paginate(_query(filters), page)


def entries_for_export(actor, filters: AuditFilter) -> list[AuditEntry]:
    """The newest `AUDIT_EXPORT_ROWS` entries as filtered, newest first (the CSV)."""
    require(actor, READ_AUDIT_LOG)
    return list(db.session.scalars(_query(filters).limit(AUDIT_EXPORT_ROWS)).unique())


def actors(actor) -> list:
    """Everyone who has an entry in the log, by name (the actor filter's choices)."""
    require(actor, READ_AUDIT_LOG)
    found = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    query = select(Employee).where(Employee.id.in_(found)).order_by(Employee.display_name)
    return list(db.session.scalars(query))
