"""Service outcomes measured elsewhere, and the rules that turn them into awards."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pojo.awards.models import Award, Criterion
from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.people.models import Employee


class OutcomeRule(db.Model):
    """Outcome kind plus a score range -> a criterion of the catalogue."""

    __tablename__ = "outcome_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    # Inclusive bounds; None means open on that side (or no score needed).
    min_score: Mapped[int | None] = mapped_column(Integer)
    max_score: Mapped[int | None] = mapped_column(Integer)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    criterion: Mapped[Criterion] = relationship()

    __table_args__ = (
        CheckConstraint(
            "min_score IS NULL OR max_score IS NULL OR min_score <= max_score", name="score_range"
        ),
    )

    def __repr__(self) -> str:
        return f"<OutcomeRule {self.kind} {self.min_score}..{self.max_score}>"


class Outcome(db.Model):
    """One measured outcome; `external_id` makes every import idempotent."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[str] = mapped_column(String(32))
    score: Mapped[int | None] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(8), default="api")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_rules.id"))
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id"), unique=True)
    # The CSV import that brought it (None from the API and the command line).
    import_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_imports.id"))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    recorded_by: Mapped[Employee | None] = relationship(foreign_keys=[recorded_by_id])
    rule: Mapped[OutcomeRule | None] = relationship()
    award: Mapped[Award | None] = relationship()
    outcome_import: Mapped["OutcomeImport | None"] = relationship()

    __table_args__ = (
        CheckConstraint("source IN ('csv', 'api')", name="source"),
        Index("ix_outcomes_employee_id_occurred_at", "employee_id", "occurred_at"),
    )


class OutcomeImport(db.Model):
    """An uploaded CSV kept between its preview and its confirmation.

    HR's and admin's uploads are applied by their uploader. A supervisor's
    upload is submitted (`submitted_at`) and then applied or rejected by
    someone else from HR or admin (`decided_by`): four eyes.
    """

    __tablename__ = "outcome_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))

    uploaded_by: Mapped[Employee] = relationship(foreign_keys=[uploaded_by_id])
    decided_by: Mapped[Employee | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        CheckConstraint("applied_at IS NULL OR rejected_at IS NULL", name="one_decision"),
        Index("ix_outcome_imports_submitted_at", "submitted_at"),
    )

    @property
    def status(self) -> str:
        """previewed, pending (waiting for HR), applied or rejected."""
        if self.applied_at is not None:
            return "applied"
        if self.rejected_at is not None:
            return "rejected"
        return "pending" if self.submitted_at is not None else "previewed"

    def __repr__(self) -> str:
        return f"<OutcomeImport {self.id} {self.filename} {self.status}>"
