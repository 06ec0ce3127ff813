"""Server-side login sessions, and the counters that throttle password guessing."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db


class UserSession(db.Model):
    """One login: live until logout (or until the employee's session version moves on).

    The browser's session cookie carries a random token; only its SHA-256 is
    stored, so a copy of this table opens no session.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        state = "ended" if self.ended_at else "live"
        return f"<UserSession {self.id} employee={self.employee_id} {state}>"


class LoginCounter(db.Model):
    """Password checks that failed (or are under way) in one throttling window.

    One row per scope ("pair": account and address, "account", "address"),
    key and window start; incremented by one conditional upsert, so counting
    and reserving a check is a single atomic step on every worker.
    """

    __tablename__ = "login_counters"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(130), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("scope IN ('pair', 'account', 'address')", name="scope"),
        CheckConstraint("failures >= 0", name="failures"),
    )

    def __repr__(self) -> str:
        return f"<LoginCounter {self.scope} {self.key} {self.window_start:%H:%M} {self.failures}>"
