"""The public criteria catalogue and the awards made against it."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.people.models import Employee, Team
from pojo.rows import Bilingual

TIERS = ("good", "excellent")


class Criterion(Bilingual, db.Model):
    """A performance that earns points; everyone can read the catalogue."""

    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_fi: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fi: Mapped[str] = mapped_column(Text, default="")
    tier: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(Integer)
    # Retired criteria stay for history but can no longer be awarded.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("tier IN ('good', 'excellent')", name="tier"),
        CheckConstraint("points > 0", name="points_positive"),
    )

    def __repr__(self) -> str:
        return f"<Criterion {self.code} {self.points}>"


class Award(db.Model):
    """Points given for a criterion, by a person (manual) or an outcome rule."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    points: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(16), default="manual")
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # The recipient's team when awarded: the budget it counts against.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    # Set by the award form; a double-submitted form makes one award.
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    awarded_by: Mapped[Employee | None] = relationship(foreign_keys=[awarded_by_id])
    criterion: Mapped[Criterion] = relationship()
    team: Mapped[Team | None] = relationship()
    entry: Mapped[LedgerEntry] = relationship()

    __table_args__ = (
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("source IN ('manual', 'outcome')", name="source"),
        Index("ix_awards_team_id_created_at", "team_id", "created_at"),
        Index("ix_awards_employee_id_created_at", "employee_id", "created_at"),
    )

    def __repr__(self) -> str:
        return f"<Award {self.id} {self.points} to={self.employee_id}>"
