"""Shift swaps: a shift its worker paid to give away, on the team's swap board."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.market.models import Redemption
from pojo.people.models import Employee, Team
from pojo.shifts.models import Shift

# open: on the board; awaiting_approval: taken, the team's supervisor decides;
# covered: the shift moved to the taker; withdrawn: the requester (or a deactivation)
# took it back, refunded; expired: nobody covered it by the deadline, refunded.
STATUSES = ("open", "awaiting_approval", "covered", "withdrawn", "expired")
ACTIVE = ("open", "awaiting_approval")
REASON_MAX_LENGTH = 500


class Swap(db.Model):
    """One shift on the swap board, bought with a shift-swap redemption.

    At most one active (open or awaiting approval) swap per shift, by a partial
    unique index, so two requests for one shift cannot both go on the board.
    """

    __tablename__ = "swaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemptions.id"), unique=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    # Offered to one named colleague only; None: to the whole team.
    offered_to_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    # After this moment nobody can take it; the expiry job refunds it.
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # The taker's "Covered a colleague's shift" points, paid when the shift moved.
    cover_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_note: Mapped[str | None] = mapped_column(String(REASON_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    shift: Mapped[Shift] = relationship()
    team: Mapped[Team] = relationship()
    redemption: Mapped[Redemption] = relationship()
    requested_by: Mapped[Employee] = relationship(foreign_keys=[requested_by_id])
    offered_to: Mapped[Employee | None] = relationship(foreign_keys=[offered_to_id])
    taken_by: Mapped[Employee | None] = relationship(foreign_keys=[taken_by_id])
    decided_by: Mapped[Employee | None] = relationship(foreign_keys=[decided_by_id])
    cover_entry: Mapped[LedgerEntry | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'awaiting_approval', 'covered', 'withdrawn', 'expired')",
            name="status",
        ),
        Index(
            "uq_swaps_active_shift",
            "shift_id",
            unique=True,
            sqlite_where=text("status IN ('open', 'awaiting_approval')"),
            postgresql_where=text("status IN ('open', 'awaiting_approval')"),
        ),
        Index("ix_swaps_team_id_status", "team_id", "status"),
        Index("ix_swaps_status_deadline", "status", "deadline"),
    )

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def __repr__(self) -> str:
        return f"<Swap {self.id} shift={self.shift_id} {self.status}>"
