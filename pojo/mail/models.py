"""The mail outbox and who turned which kind of e-mail off."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db

# queued: waits for its next attempt; sending: claimed by a sender, which committed that
# before talking to SMTP; sent; failed: refused for good or out of attempts; uncertain: a
# sender stopped while sending it (it may have gone out), so it is never sent again by itself.
STATUSES = ("queued", "sending", "sent", "failed", "uncertain")


class OutboxMail(db.Model):
    """One e-mail to one person, written in the transaction of the notice it repeats.

    Worded when queued, in the recipient's language: what is sent is what the notice said.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # the notice's kind
    category: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed', 'uncertain')", name="status"
        ),
        CheckConstraint("attempts >= 0", name="attempts"),
        # The senders' claim: the due queued rows, oldest first.
        Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )


class MailOptOut(db.Model):
    """A category of e-mail one person turned off. No row: they get it (on by default)."""

    __tablename__ = "mail_opt_outs"

    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
