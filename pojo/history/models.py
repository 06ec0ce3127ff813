"""What moving in keeps: each users or history file uploaded or applied, and set-password links."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.people.models import Employee

KINDS = ("users", "history")


class HistoryImport(db.Model):
    """One file: uploaded (previewed) until `applied_at`; an applied history file keeps its
    SHA-256 in `applied_sha256`, unique, so the same file is never applied twice."""

    __tablename__ = "history_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    # The uploaded text, kept for the preview and the apply; None for a CLI import.
    content: Mapped[str | None] = deferred(mapped_column(Text))
    # None: the operator, on the command line.
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applied_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    awards: Mapped[int] = mapped_column(Integer, default=0)
    redemptions: Mapped[int] = mapped_column(Integer, default=0)
    points_awarded: Mapped[int] = mapped_column(BigInteger, default=0)
    points_redeemed: Mapped[int] = mapped_column(BigInteger, default=0)

    uploaded_by: Mapped[Employee | None] = relationship()

    __table_args__ = (CheckConstraint("kind IN ('users', 'history')", name="kind"),)

    @property
    def reference(self) -> str:
        """The ledger reference of the entries this import wrote."""
        return f"history:{self.id}"


class PasswordLink(db.Model):
    """A one-time link to set one's password (accounts made by a users import).

    Only the token's SHA-256 is stored; the link works until `expires_at`, once.
    """

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employee: Mapped[Employee] = relationship()


RUN_STATUSES = ("applying", "done", "failed")


class ImportRun(db.Model):
    """A history upload being applied in the background, and how far it got.

    Its own table, not columns of `history_imports`: the apply's transaction
    holds that row locked until it commits, while this row is written by short
    transactions of their own, so every worker can read the progress meanwhile.
    `token` tells this run from an earlier one of the same upload (a retry).
    """

    __tablename__ = "history_import_runs"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("history_imports.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("status IN ('applying', 'done', 'failed')", name="status"),)
