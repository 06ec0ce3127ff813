"""Segments of every employee for HR, and one's own profile: measured, classified, explained.

`segment_report` is what the dashboard and the API read, as of the start of the local
day. Measuring walks the whole ledger, so for such a past moment the `segment_features`
job stores the figures ahead (`insights.snapshots`) and a report reads them while their
stamp (the entries dated up to that moment, the cancellations among them) is the
data's; else it measures live. Either way the figures are kept by `insights.cache` (per
app) under that stamp, so a cached answer is never stale. Names, teams, HR's thresholds
and the catalogue's prices are read fresh on every call; they are cheap.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.formatting import format_points
from pojo.insights import measures, periods, snapshots, trend
from pojo.insights.cache import cached, forget
from pojo.insights.policy import VIEW_INSIGHTS
from pojo.insights.segments import CODES, Segment, Thresholds, classify
from pojo.insights.thresholds import current_thresholds
from pojo.ledger.models import Balance, LedgerEntry
from pojo.people.models import Employee, Team
from pojo.policy import require
from pojo.rows import plain_rows

OWN_WINDOW_DAYS = 365


@dataclass(frozen=True)
class EmployeeSegment:
    employee_id: int
    username: str
    display_name: str
    team_id: int | None
    team: str | None
    employment_type: str
    agency: str | None
    segment: Segment


@dataclass(frozen=True)
class SegmentReport:
    window_days: int
    end: datetime
    thresholds: Thresholds
    employees: tuple[EmployeeSegment, ...]

    def summary(self, rows=None) -> dict[str, int]:
        """How many of `rows` (default: everyone) have each code, in CODES order, zeros included."""
        counts = dict.fromkeys(CODES, 0)
        for row in self.employees if rows is None else rows:
            counts[row.segment.code] += 1
        return counts


def clear_cache() -> None:
    """Forget every measured window (the bench times an uncached report)."""
    forget()


def _last_entry_id() -> int:
    return db.session.scalar(select(func.coalesce(func.max(LedgerEntry.id), 0)))


def _measured(
    window_days: int,
    end: datetime,
    fixed: bool,
    only: int | None = None,
    current: tuple[int, int] | None = None,
):
    """The measured features, prices open (`measures.measure_open`), cached by database state;
    `fixed`: `end` was given.

    A whole report for a given moment reads the job's stored snapshot when its stamp is the
    data's (`snapshots`), else measures live; either is cached under that stamp (`current`,
    if the caller read it already). A read never stores a snapshot.
    """
    if fixed and only is None:
        current = current or snapshots.stamp(end)
        key = ("measured", current, window_days, end)

        def build():
            found = snapshots.stored(window_days, end, current)
            return end, measures.measure_open(window_days, end) if found is None else found

        return cached(key, build, "figures")
    key = ("measured", _last_entry_id(), window_days, end if fixed else end.date(), only)
    shelf = "figures" if only is None else "profiles"
    return cached(key, lambda: (end, measures.measure_open(window_days, end, only=only)), shelf)


def _participants():
    """Who is measured, as plain rows: loading 5,000 ORM objects cost more than the scan."""
    return plain_rows(
        select(
            Employee.id,
            Employee.username,
            Employee.display_name,
            Employee.team_id,
            Team.name.label("team"),
            Employee.employment_type,
            Employee.agency_name,
        )
        .join(Balance, Balance.employee_id == Employee.id)
        .outerjoin(Team, Team.id == Employee.team_id)
        .where(Employee.active, Employee.role.in_(measures.ROLES))
        .order_by(Employee.username)
    )


def segment_report(
    window_days: int = 365, at: datetime | None = None, stamp: tuple[int, int] | None = None
) -> SegmentReport:
    """Every participant's segment over the `window_days` before `at` (default now); no access
    check (the caller has made it). `stamp`: `at`'s snapshot stamp, if the caller has it."""
    end, found = _measured(window_days, at or utcnow(), at is not None, current=stamp)
    thresholds = current_thresholds()
    prices = measures.catalogue()
    found = measures.with_catalogue(found, prices)
    blank = measures.priced(measures.no_history(window_days), prices)
    rows = tuple(
        EmployeeSegment(
            employee_id=person.id,
            username=person.username,
            display_name=person.display_name,
            team_id=person.team_id,
            team=person.team,
            employment_type=person.employment_type,
            agency=person.agency_name,
            segment=classify(found.get(person.id, blank), thresholds),
        )
        for person in _participants()
    )
    return SegmentReport(window_days, end, thresholds, rows)


def segment_codes(
    window_days: int, ends: list[datetime], stamps: dict[datetime, tuple[int, int]]
) -> dict[datetime, tuple[dict[int, str], str]]:
    """Only the codes of `segment_report(window_days, end, stamps[end])` for each of `ends`, what
    the dashboard's trend counts: (the code by employee id of everyone with figures, the code of
    someone without). No participants are read and no `EmployeeSegment` is made."""
    thresholds, prices = current_thresholds(), measures.catalogue()
    found = {}
    for end in ends:
        _end, figures = _measured(window_days, end, True, current=stamps[end])
        found[end] = trend.codes_of(figures, window_days, thresholds, prices)
    return found


def stored_codes(
    window_days: int, ends: list[datetime], payload: dict | None
) -> dict[datetime, tuple[dict[int, str], str]] | None:
    """The trend's codes from the job's stored `payload` (`pojo.insights.trend`) while they
    were classified with the current thresholds and prices; None: else."""
    if payload is None or window_days != periods.DEFAULT_WINDOW:
        return None
    return trend.read(payload, ends, current_thresholds(), measures.catalogue())


def segments_for(actor: Employee, window_days: int = 365) -> SegmentReport:
    """The segment report as of the start of the local day (as the dashboard's), for HR and
    admin."""
    require(actor, VIEW_INSIGHTS)
    return segment_report(window_days, snapshots.day_start(utcnow()))


def own_profile(employee: Employee) -> Segment:
    """The employee's own segment over the last year (only their entries are measured)."""
    _end, found = _measured(OWN_WINDOW_DAYS, utcnow(), False, only=employee.id)
    found = measures.with_catalogue(found, measures.catalogue())
    return classify(found[employee.id], current_thresholds())


def _days(value: float | None) -> str:
    """A figure as the reader writes it: 14, 2.5 (2,5 in Finnish); one decimal under ten."""
    value = value or 0
    return format_decimal(round(value) if value >= 10 else round(value, 1), format="#,##0.#")


def explain(segment: Segment) -> str:
    """One sentence, in the reader's language, with the figures behind the label."""
    f = segment.features
    if segment.code == "new":
        return ngettext(
            "%(num)s day of history: too early to tell.",
            "%(num)s days of history: too early to tell.",
            f.history_days,
        )
    if segment.code == "dormant":
        if f.days_since_redemption is None:
            return _(
                "Earned %(points)s points in the period and never redeemed.",
                points=format_points(f.earned),
            )
        return _(
            "Earned %(points)s points in the period but last redeemed %(days)s days ago.",
            points=format_points(f.earned),
            days=f.days_since_redemption,
        )
    if segment.code == "impulse":
        return ngettext(
            "Redeemed once, %(days)s days after the points sufficed.",
            "Redeemed %(num)s times, on average %(days)s days after the points sufficed.",
            f.redemptions,
            days=_days(f.median_days_to_redeem),
        )
    if segment.code == "saver":
        return ngettext(
            "Carried a median balance of %(balance)s points and spent %(share)s %% of them "
            "on the dearest third of rewards, redeeming once.",
            "Carried a median balance of %(balance)s points and spent %(share)s %% of them "
            "on the dearest third of rewards, redeeming %(num)s times.",
            f.redemptions,
            balance=format_points(round(f.median_balance)),
            share=round(100 * f.upper_third_share),
        )
    if f.redemptions == 0:
        return _("Did not redeem in the period.")
    return ngettext(
        "Redeemed once (%(per_year)s a year), neither at once nor after saving up.",
        "Redeemed %(num)s times (%(per_year)s a year), neither at once nor after saving up.",
        f.redemptions,
        per_year=_days(f.redemptions_per_year),
    )
