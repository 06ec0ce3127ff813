"""Work shifts: who works when, in which team, under what label; and the secret links
that let a phone calendar subscribe to one's own shifts."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.people.models import Employee, Team

LABEL_MAX_LENGTH = 120


class Shift(db.Model):
    """One shift of one employee. (employee, starts_at) is its natural key, so importing
    the same roster again finds the shifts it made and changes nothing.

    The team is the one the shift is worked in (the employee's when it was made): a swap
    moves a shift within its team, and the team schedule lists the team's shifts.
    """

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    label: Mapped[str] = mapped_column(String(LABEL_MAX_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    team: Mapped[Team] = relationship()

    __table_args__ = (
        UniqueConstraint("employee_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_shifts_team_id_starts_at", "team_id", "starts_at"),
    )

    def __repr__(self) -> str:
        return f"<Shift {self.id} employee={self.employee_id} {self.starts_at:%Y-%m-%d %H:%M}>"


class CalendarFeed(db.Model):
    """A secret link to one employee's shifts as an iCalendar feed, for a phone calendar.

    Only the token's SHA-256 is kept: the link is shown once, when it is made. Making
    a new one revokes the old, so each employee has at most one live link (the partial
    unique index holds it); a revoked row stays as the record of when it stopped.
    """

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employee: Mapped[Employee] = relationship()

    __table_args__ = (
        Index(
            "uq_calendar_feeds_live_employee",
            "employee_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    def __repr__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"<CalendarFeed {self.id} employee={self.employee_id} {state}>"
