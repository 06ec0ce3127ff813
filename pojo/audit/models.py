"""The audit log: one row per HR or admin action, written once and never changed.

The database itself refuses an UPDATE or DELETE of `audit_entries` (triggers made by
the migration `20261204_02_audit_log`), so no code path in the
app, a shell or a mistaken script can rewrite what happened. Retention never prunes it.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db

TABLE = "audit_entries"
# The triggers the migration makes to keep the table append-only (the invariant checks
# they are there; the tests' reset drops and remakes them to empty the table).
TRIGGERS = ("audit_entries_no_update", "audit_entries_no_delete")


class AuditEntry(db.Model):
    """Who (`actor`, none for the system's jobs) did what (`action`, a code of
    `pojo.audit.actions.ACTIONS`) to which thing (`subject_kind`, `subject_id` and its
    name then, `subject_label`), with the thing's state `before` and `after` as JSON."""

    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    action: Mapped[str] = mapped_column(String(40))
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    subject_label: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor = relationship("Employee")

    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_actor_id_at", "actor_id", "at"),
        Index("ix_audit_entries_action_at", "action", "at"),
        Index("ix_audit_entries_subject", "subject_kind", "subject_id"),
    )
