"""The segments' figures measured ahead of the read, and the job that keeps them current.

Measuring walks every ledger entry (`pojo.insights.measures`): 40-80 grouped scans of
the ledger at 1,000,000 entries. The figures the dashboard and the API show stand as of
moments that are already past (the start of the local day, the trend's quarter ends),
so the `segment_features` job measures them once per moment and stores them
(`pojo.insights.models`); a read then costs the stamp (one count) and 5,000 rows.

A snapshot's stamp is what it was computed from: the ledger entries dated at or before
its moment (`measures` reads `at <= end`) and the cancelled redemptions among them
(a cancelled redemption stops counting). Entries are never updated or deleted, so a
count changes only when a backdated entry (a history import) or a cancellation comes
in, and a count is exact whatever order transactions commit in. A read whose stamp
differs measures live (`pojo.insights.service`) until the job runs again; a read never
writes. The job reads the stamp before measuring, so an entry committed in between
leaves a stamp too low (live reads) rather than figures that miss it.
"""

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, or_, select

from pojo.database import UTCDateTime
from pojo.extensions import db
from pojo.insights import measures, periods
from pojo.insights.models import SegmentFigures, SegmentSnapshot
from pojo.insights.segments import Features
from pojo.ledger.models import LedgerEntry
from pojo.market.models import Redemption
from pojo.rows import local_date, plain_rows, site_zone

JOB = "segment_features"
# How often the scheduler looks for missing or stale snapshots.
REFRESH_MINUTES = 15

_AS_OF = bindparam("as_of", type_=UTCDateTime)
STAMP = select(
    select(func.count()).select_from(LedgerEntry).scalar_subquery()
    - select(func.count()).where(LedgerEntry.at > _AS_OF).scalar_subquery(),
    select(func.count())
    .select_from(Redemption)
    .join(LedgerEntry, LedgerEntry.id == Redemption.entry_id)
    .where(Redemption.status == "cancelled", LedgerEntry.at <= _AS_OF)
    .scalar_subquery(),
)
_FIELDS = tuple(
    getattr(SegmentFigures, name)
    for name in (
        "history_days",
        "earned",
        "redemptions",
        "redemptions_per_year",
        "median_days_to_redeem",
        "median_balance",
        "upper_third_share",
        "days_since_redemption",
        "cheapest_price",
        "lower_third_price",
    )
)


def stamp(as_of: datetime) -> tuple[int, int]:
    """(entries dated at or before `as_of`, cancelled redemptions among them): one statement."""
    entries, cancelled = db.session.execute(STAMP, {"as_of": as_of}).one()
    return int(entries), int(cancelled)


def _cancelled_by(moment):
    return (
        select(func.count())
        .select_from(Redemption)
        .join(LedgerEntry, LedgerEntry.id == Redemption.entry_id)
        .where(Redemption.status == "cancelled", LedgerEntry.at <= moment)
        .scalar_subquery()
    )


def stamps(moments: list[datetime], *extra) -> tuple[dict[datetime, tuple[int, int]], list]:
    """Every moment's `stamp` in one statement, the ledger counted once (on PostgreSQL a
    count of the whole ledger is a full index scan: the stamps' main cost); with the values
    of the `extra` scalar subqueries."""
    marks = [bindparam(f"m{i}", moment, type_=UTCDateTime) for i, moment in enumerate(moments)]
    row = db.session.execute(
        select(
            select(func.count()).select_from(LedgerEntry).scalar_subquery(),
            *(
                select(func.count()).where(LedgerEntry.at > mark).scalar_subquery()
                for mark in marks
            ),
            *(_cancelled_by(mark) for mark in marks),
            *extra,
        )
    ).one()
    total, n = int(row[0]), len(moments)
    found = {
        moment: (total - int(row[1 + i]), int(row[1 + n + i])) for i, moment in enumerate(moments)
    }
    return found, list(row[1 + 2 * n :])


def day_start(now: datetime) -> datetime:
    """The start of `now`'s local day: the moment the dashboard's and the API's segments
    stand as of."""
    return periods.day_start(local_date(now), site_zone())


def moments(now: datetime) -> list[datetime]:
    """What the job keeps: the trend's past quarter ends (oldest first) and the day's start."""
    quarters = periods.quarter_ends(now, site_zone())
    # On a quarter's first day its start is the day's: one moment.
    return sorted({quarter.end for quarter in quarters[:-1]} | {day_start(now)})


def stored(window_days: int, as_of: datetime, current: tuple[int, int]) -> dict | None:
    """The stored figures (prices open, `measures.measure_open`) of the snapshot of
    `window_days` as of `as_of` when its stamp is `current`; None: missing or stale."""
    rows = plain_rows(
        select(SegmentFigures.employee_id, *_FIELDS)
        .join(SegmentSnapshot, SegmentSnapshot.id == SegmentFigures.snapshot_id)
        .where(
            SegmentSnapshot.window_days == window_days,
            SegmentSnapshot.as_of == as_of,
            SegmentSnapshot.entries == current[0],
            SegmentSnapshot.cancelled == current[1],
        )
    )
    if not rows:
        return None
    return {row[0]: Features(*row[1:]) for row in rows}


def _store(window_days: int, as_of: datetime, current: tuple[int, int], now: datetime) -> int:
    """Measure and store one snapshot in place of any older one; the figures' count."""
    _drop(SegmentSnapshot.window_days == window_days, SegmentSnapshot.as_of == as_of)
    snapshot_id = db.session.scalar(
        insert(SegmentSnapshot)
        .values(
            window_days=window_days,
            as_of=as_of,
            entries=current[0],
            cancelled=current[1],
            computed_at=now,
        )
        .returning(SegmentSnapshot.id)
    )
    found = measures.measure_open(window_days, as_of)
    if found:
        db.session.execute(
            insert(SegmentFigures),
            [
                {"snapshot_id": snapshot_id, "employee_id": employee_id} | asdict(features)
                for employee_id, features in found.items()
            ],
        )
    return len(found)


def _drop(*conditions) -> int:
    """Delete the snapshots matching `conditions` and their figures; how many snapshots."""
    ids = list(db.session.scalars(select(SegmentSnapshot.id).where(*conditions)))
    if ids:
        db.session.execute(delete(SegmentFigures).where(SegmentFigures.snapshot_id.in_(ids)))
        db.session.execute(delete(SegmentSnapshot).where(SegmentSnapshot.id.in_(ids)))
    return len(ids)


def refresh(now: datetime) -> str:
    """The job: store the default window's snapshots that are missing or stale, drop those
    no longer wanted. Idempotent: in the same state a second run writes nothing."""
    window = periods.DEFAULT_WINDOW
    wanted = moments(now)
    kept = {
        row.as_of: (row.entries, row.cancelled)
        for row in db.session.execute(
            select(SegmentSnapshot.as_of, SegmentSnapshot.entries, SegmentSnapshot.cancelled).where(
                SegmentSnapshot.window_days == window
            )
        )
    }
    # Every moment's stamp in one statement: the up-to-date run (every 15 minutes) counts the
    # ledger once, not once per moment.
    current_stamps, _ = stamps(wanted)
    stored_now, figures = [], 0
    for as_of in wanted:
        current = current_stamps[as_of]
        if kept.get(as_of) != current:
            figures += _store(window, as_of, current, now)
            stored_now.append(as_of)
    dropped = _drop(
        or_(SegmentSnapshot.window_days != window, SegmentSnapshot.as_of.not_in(wanted))
    )
    if not stored_now and not dropped:
        return "segment figures up to date"
    return (
        f"{len(stored_now)} segment snapshots stored ({figures} employees' figures), "
        f"{dropped} old ones dropped"
    )


def period(now: datetime) -> str:
    """A run belongs to its quarter hour: the scheduler claims each period once, and a
    backdated import must be stored by the next run, not the next day's."""
    slot = now.minute - now.minute % REFRESH_MINUTES
    return now.replace(minute=slot, second=0, microsecond=0).isoformat()
