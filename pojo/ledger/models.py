"""The points ledger: append-only entries and the stored balance they sum to."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.people.models import Employee


class LedgerEntry(db.Model):
    """One point movement. Never updated or deleted; mistakes get a reversal entry."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    points: Mapped[int] = mapped_column(Integer)
    # What moved the points: award, outcome, redemption, refund or reversal;
    # `reference` names the row behind it.
    kind: Mapped[str] = mapped_column(String(20))
    # When the movement took effect (backdated for imported history).
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who caused it; None for the system (scheduled jobs, outcome rules).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    # "award:12", "redemption:7", "entry:40" ...: the record behind the movement.
    reference: Mapped[str | None] = mapped_column(String(40))
    # A reversal names the entry it compensates; unique, so nothing is reversed twice.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    actor: Mapped[Employee | None] = relationship(foreign_keys=[actor_id])
    reverses: Mapped["LedgerEntry | None"] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint("points <> 0", name="points_nonzero"),
        Index("ix_ledger_entries_employee_id_id", "employee_id", "id"),
        Index("ix_ledger_entries_at", "at"),
        # Covering: the grouped balance scan and the insights' window scan in (at, id) order
        # read the index alone, no table row (SQLite walked (employee_id, id) row by row).
        Index("ix_ledger_entries_employee_at_cover", "employee_id", "at", "id", "points", "kind"),
    )

    def __repr__(self) -> str:
        return f"<LedgerEntry {self.id} {self.kind} {self.points:+d} employee={self.employee_id}>"


class Balance(db.Model):
    """The stored sum of an employee's entries, kept in the same transaction.

    Spending locks this row, so two requests can never both spend it.
    """

    __tablename__ = "balances"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    points: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("points >= 0", name="not_negative"),)

    def __repr__(self) -> str:
        return f"<Balance employee={self.employee_id} {self.points}>"
