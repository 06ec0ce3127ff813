"""The dashboard's cold figures stored ahead of the read: the economy as of the day's start and
fairness, for the default window (HR's and admin's whole view).

Worked out live, they are window functions over the whole ledger (the economy's median age
of the points spent, first in first out) and a dozen aggregates (fairness): 15-40 grouped
scans at 1,000,000 entries, once per worker and day. The `segment_features` job works them
out once, right after the segments, and stores them as JSON (`pojo.insights.payload`) with
their stamp: the segments' (`pojo.insights.snapshots`: entries dated at or before the day's
start, cancelled redemptions among them) and the employees' fingerprint (teams, employment,
activity: `pojo.insights.cache`). The dashboard reads them while the stamp is the data's,
else works them out live; a read never writes. The job reads the stamp before working, so
an entry committed in between leaves a stamp too low (live reads), not figures that miss it.
"""

from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, insert, or_, select

from pojo.extensions import db
from pojo.insights import measures, periods, snapshots, trend
from pojo.insights.cache import PEOPLE
from pojo.insights.economy import Economy, economy
from pojo.insights.fairness import Fairness, fairness
from pojo.insights.models import InsightsFigures
from pojo.insights.payload import decode, encode
from pojo.insights.thresholds import current_thresholds
from pojo.people.models import Employee
from pojo.rows import site_zone

ECONOMY = "economy"
FAIRNESS = "fairness"
KINDS = {ECONOMY: Economy, FAIRNESS: Fairness}
# The trend's codes as of the past quarter ends (`pojo.insights.trend`): as of the day's start
# too, under its stamp, which moves whenever an earlier quarter's would.
TREND = "trend"

_PEOPLE = tuple(select(aggregate).select_from(Employee).scalar_subquery() for aggregate in PEOPLE)


def stamps(moments: list[datetime]):
    """The segments' stamp of every moment (`snapshots.stamps`) and the employees' fingerprint,
    in one statement: (the stamps by moment, the fingerprint). The stored figures' stamp as of
    a moment is its segments' stamp and the fingerprint."""
    found, people = snapshots.stamps(moments, *_PEOPLE)
    return found, ":".join(str(int(value)) for value in people)


def stamp(as_of: datetime) -> tuple[int, int, str]:
    """(entries dated at or before `as_of`, cancelled redemptions among them, the employees'
    fingerprint): one statement."""
    found, people = stamps([as_of])
    return (*found[as_of], people)


def work_out(kind: str, window_days: int, since: datetime, now: datetime):
    """The figures of `kind` live, as the dashboard shows them for the whole view: the
    economy up to `since` (today's part is added when read), fairness of the window."""
    start = periods.window_start(since, window_days)
    if kind == ECONOMY:
        return economy(start, since, periods.months(start, now, site_zone()))
    return fairness(start, since)


def _months_to(history: Economy, window_days: int, as_of: datetime, now: datetime):
    """`history` with its months reaching to `now` (the current month ends at the view's now,
    not the job's); None if the months are not the same ones."""
    months = periods.months(periods.window_start(as_of, window_days), now, site_zone())
    if [m.period.first for m in history.months] != [p.first for p in months]:
        return None
    return replace(
        history,
        months=tuple(replace(m, period=p) for m, p in zip(history.months, months, strict=True)),
    )


def payload(kind: str, window_days: int, as_of: datetime, current: tuple[int, int, str]):
    """The stored payload of `kind` as of `as_of` when its stamp is `current`; None: missing or
    stale."""
    return db.session.scalar(
        select(InsightsFigures.payload).where(
            InsightsFigures.kind == kind,
            InsightsFigures.window_days == window_days,
            InsightsFigures.as_of == as_of,
            InsightsFigures.entries == current[0],
            InsightsFigures.cancelled == current[1],
            InsightsFigures.people == current[2],
        )
    )


def read(kind: str, window_days: int, as_of: datetime, current: tuple[int, int, str], now):
    """The stored figures of `kind` as of `as_of` when their stamp is `current`, as a view at
    `now` shows them; None: missing or stale."""
    data = payload(kind, window_days, as_of, current)
    if data is None:
        return None
    found = decode(KINDS[kind], data)
    return _months_to(found, window_days, as_of, now) if kind == ECONOMY else found


def refresh(now: datetime) -> str:
    """Store the default window's figures as of the day's start that are missing or stale,
    drop the others. Idempotent: in the same state a second run writes nothing."""
    window = periods.DEFAULT_WINDOW
    since = snapshots.day_start(now)
    current = stamp(since)
    kept = {
        row.kind: row
        for row in db.session.execute(
            select(
                InsightsFigures.kind,
                InsightsFigures.entries,
                InsightsFigures.cancelled,
                InsightsFigures.people,
            ).where(InsightsFigures.window_days == window, InsightsFigures.as_of == since)
        )
    }
    ends = [quarter.end for quarter in periods.quarter_ends(now, site_zone())[:-1]]
    thresholds, prices = current_thresholds(), measures.catalogue()

    def work(kind: str):
        if kind == TREND:
            return trend.work_out(window, ends, thresholds, prices)
        return encode(work_out(kind, window, since, now))

    def up_to_date(kind: str) -> bool:
        row = kept.get(kind)
        if row is None or (row.entries, row.cancelled, row.people) != current:
            return False
        if kind != TREND:
            return True
        # Classified with other thresholds or prices: classified again.
        return (
            trend.read(payload(kind, window, since, current), ends, thresholds, prices) is not None
        )

    stored_now = []
    for kind in (*KINDS, TREND):
        if up_to_date(kind):
            continue
        db.session.execute(
            delete(InsightsFigures).where(
                InsightsFigures.kind == kind,
                InsightsFigures.window_days == window,
                InsightsFigures.as_of == since,
            )
        )
        db.session.execute(
            insert(InsightsFigures).values(
                kind=kind,
                window_days=window,
                as_of=since,
                entries=current[0],
                cancelled=current[1],
                people=current[2],
                computed_at=now,
                payload=work(kind),
            )
        )
        stored_now.append(kind)
    dropped = db.session.execute(
        delete(InsightsFigures).where(
            or_(InsightsFigures.window_days != window, InsightsFigures.as_of != since)
        )
    ).rowcount
    if not stored_now and not dropped:
        return "dashboard figures up to date"
    return (
        f"dashboard figures stored: {', '.join(stored_now) or 'none'}; {dropped} old ones dropped"
    )
