"""Stored segment figures: one snapshot per window and moment, the figures of everyone in it.

The `segment_features` job (`pojo.insights.snapshots`) measures the segments' figures
ahead of the read, as of the start of the local day and of the trend's past quarter
ends, so the dashboard and the API read 5,000 rows instead of walking the ledger. A
snapshot keeps what it was computed from (its stamp): how many ledger entries are
dated at or before `as_of`, and how many of their redemptions were cancelled. Entries
are never updated or deleted, so only a new backdated entry or a cancellation changes
the stamp; a read whose stamp differs measures live instead.
"""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db


class SegmentSnapshot(db.Model):
    __tablename__ = "segment_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    window_days: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    # The stamp: entries dated at or before as_of, and the cancelled redemptions among them.
    entries: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("window_days", "as_of"),)


class SegmentFigures(db.Model):
    """One employee's `pojo.insights.segments.Features` in a snapshot; the two prices are
    null where nothing was redeemed in the window (the active catalogue's prices then, read
    when the figures are)."""

    __tablename__ = "segment_figures"

    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("segment_snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    history_days: Mapped[int] = mapped_column(Integer)
    earned: Mapped[int] = mapped_column(Integer)
    redemptions: Mapped[int] = mapped_column(Integer)
    redemptions_per_year: Mapped[float] = mapped_column(Float)
    median_days_to_redeem: Mapped[float | None] = mapped_column(Float)
    median_balance: Mapped[float] = mapped_column(Float)
    upper_third_share: Mapped[float] = mapped_column(Float)
    days_since_redemption: Mapped[int | None] = mapped_column(Integer)
    cheapest_price: Mapped[int | None] = mapped_column(Integer)
    lower_third_price: Mapped[int | None] = mapped_column(Integer)


class InsightsFigures(db.Model):
    """The dashboard's figures of one `kind` (the economy as of the day's start, fairness) for
    a window, stored by the `segment_features` job as JSON (`pojo.insights.payload`), with the
    stamp of what they were worked out from: the segments' stamp (entries dated at or before
    `as_of`, cancelled redemptions among them) and the employees' fingerprint (teams,
    employment, activity; `pojo.insights.cache`)."""

    __tablename__ = "insights_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    window_days: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    entries: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    people: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("kind", "window_days", "as_of"),)
