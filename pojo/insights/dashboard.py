"""HR's dashboard, and the supervisors' view of their own teams: one read model.

HR and admin see everything, individuals' labels included. A supervisor sees
aggregates of the teams they supervise only: no individual, no fairness
table, and no breakdown of fewer than `MIN_GROUP` people. The figures come
from `pojo.insights.cache`, keyed by the database's state, so a page view
costs one statement until the data changes.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from statistics import mean, median

from flask_babel import gettext as _
from sqlalchemy import select

from pojo.bounds import EURO_CENTS_PER_100_POINTS as EURO_RATE
from pojo.bounds import WINDOW_DAYS, parse_whole_number, whole_number_message
from pojo.database import utcnow
from pojo.errors import InvalidInput
from pojo.extensions import db
from pojo.insights import periods, stored
from pojo.insights.cache import cached
from pojo.insights.economy import Economy, economy, with_today
from pojo.insights.fairness import Fairness
from pojo.insights.periods import day_start
from pojo.insights.policy import VIEW_INSIGHTS, VIEW_TEAM_INSIGHTS
from pojo.insights.segments import CODES
from pojo.insights.thresholds import SETTINGS as THRESHOLD_SETTINGS
from pojo.insights.thresholds import thresholds_from
from pojo.people.models import Employee
from pojo.people.settings import Spec, define_setting, get_settings
from pojo.policy import can, require
from pojo.rows import local_date, site_zone

MIN_GROUP = 5
# About six redemptions per employee a year: what the system Pojo replaces saw.
REFERENCE_PER_YEAR = 6
EURO_SETTING = "euro_cents_per_100_points"
define_setting(
    EURO_SETTING,
    Spec(1000, VIEW_INSIGHTS, least=EURO_RATE.minimum, most=EURO_RATE.maximum),
)


def _segment_report(window_days: int, at: datetime, stamp: tuple[int, int] | None = None):
    from pojo.insights.service import segment_report

    return segment_report(window_days, at, stamp)


def _trend_codes(window_days: int, ends: list[datetime], since: datetime, stamps: "_Stamps"):
    """Each participant's code as of each of `ends`: HR's default window from what the job
    stored (`pojo.insights.trend`) while it stands, else classified from the segments' figures."""
    from pojo.insights.service import segment_codes, stored_codes

    if window_days == periods.DEFAULT_WINDOW:
        payload = stored.payload(stored.TREND, window_days, since, stamps.figures(since))
        found = stored_codes(window_days, ends, payload)
        if found is not None:
            return found
    return segment_codes(window_days, ends, {end: stamps.of(end) for end in ends})


@dataclass(frozen=True)
class Shares:
    """How many people of one group are in each segment; `hidden` under MIN_GROUP (supervisors)."""

    group: str
    counts: tuple[tuple[str, int], ...]
    total: int
    hidden: bool = False
    # Not shown though big enough: beside the whole, it would give away a hidden sibling group.
    shielded: bool = False

    def count(self, code: str) -> int:
        return dict(self.counts)[code]

    def share(self, code: str) -> float:
        return self.count(code) / self.total if self.total else 0.0


@dataclass(frozen=True)
class TrendPoint:
    label: str
    shares: Shares


@dataclass(frozen=True)
class Pace:
    """Redemptions per employee per year in a group, beside the reference."""

    group: str
    mean: float | None
    median: float | None
    people: int
    hidden: bool = False
    shielded: bool = False


@dataclass(frozen=True)
class Dashboard:
    window_days: int
    start: datetime
    # The segments, fairness and the economy's medians stand as of `since` (the day's start);
    # the monthly sums, reward demand and the liability include today's movements up to `end`.
    since: datetime
    end: datetime
    full: bool  # HR and admin: individuals and fairness too
    teams: tuple[str, ...]  # the teams a supervisor's view covers (all: empty)
    overall: Shares
    by_team: tuple[Shares, ...]
    by_employment: tuple[Shares, ...]
    trend: tuple[TrendPoint, ...]
    individuals: tuple  # pojo.insights.service.EmployeeSegment, HR and admin only
    pace: tuple[Pace, ...]  # overall first, then per team
    economy: Economy | None  # None: the view covers fewer than MIN_GROUP people
    fairness: Fairness | None
    euro_cents_per_100: int

    @property
    def liability_cents(self) -> int | None:
        if self.economy is None:
            return None
        return self.economy.liability_points * self.euro_cents_per_100 // 100


def window_days_from(text: str | None) -> int:
    """The window a query string asks for: absent is the default; anything else out of bounds
    is refused with a message."""

    if text is None or text == "":
        return periods.DEFAULT_WINDOW
    value = parse_whole_number(text, WINDOW_DAYS)
    if value is None:
        raise InvalidInput(
            _("The window is a number of days: %(rule)s", rule=whole_number_message(WINDOW_DAYS)),
            field="window_days",
        )
    return value


def _shares(group: str, rows, hide_small: bool) -> Shares:
    return _counted(group, (row.segment.code for row in rows), hide_small)


def _counted(group: str, codes, hide_small: bool) -> Shares:
    counts = {code: 0 for code in CODES}
    for code in codes:
        counts[code] += 1
    total = sum(counts.values())
    return Shares(group, tuple(counts.items()), total, hide_small and total < MIN_GROUP)


def _pace(group: str, rows, hide_small: bool) -> Pace:
    rates = [row.segment.features.redemptions_per_year for row in rows if row.segment.code != "new"]
    return Pace(
        group,
        round(mean(rates), 1) if rates else None,
        round(median(rates), 1) if rates else None,
        len(rows),
        hide_small and len(rows) < MIN_GROUP,
    )


def _shield(groups: tuple) -> tuple:
    """A breakdown with a hidden group hides its other groups too: the whole is shown, so the
    others' figures would give the hidden group's away by subtraction."""
    if not any(group.hidden for group in groups):
        return groups
    return tuple(group if group.hidden else replace(group, shielded=True) for group in groups)


def _by(rows, key) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return dict(sorted(grouped.items()))


class _Stamps:
    """The stored figures' stamps of the moments the page shows. The day's start's is read at
    once, in one statement, and is the cache's key (a warm view reads only it): entries are
    never updated or deleted and a cancellation is final, so while the count up to the day's
    start stands, so does every earlier moment's. The past quarter ends' are read, in one more
    statement, only when a cold figure needs them (on PostgreSQL each is a count of months of
    the ledger)."""

    def __init__(self, since: datetime, moments: list[datetime]):
        self.moments = moments
        self.found, self.people = stored.stamps([since])

    def of(self, moment: datetime) -> tuple[int, int]:
        """The segments' stamp as of `moment`."""
        if moment not in self.found:
            more, _people = stored.stamps([m for m in self.moments if m not in self.found])
            self.found.update(more)
        return self.found[moment]

    def figures(self, moment: datetime) -> tuple[int, int, str]:
        """The economy's, fairness's and the trend's stamp as of `moment`: the segments' and
        the employees' fingerprint."""
        return (*self.of(moment), self.people)


def _whole_view(window_days: int, since: datetime, now: datetime, stamps: _Stamps):
    """How HR's whole view gets a cold figure: the job's stored one while its stamp is the
    data's, else worked out live."""

    def figures(kind: str):
        if window_days == periods.DEFAULT_WINDOW:
            found = stored.read(kind, window_days, since, stamps.figures(since), now)
            if found is not None:
                return found
        return stored.work_out(kind, window_days, since, now)

    return figures


def _scope(actor) -> tuple[bool, tuple[int, ...], tuple[str, ...]]:
    """(everything?, the team ids, their names) the actor's view covers."""
    require(actor, VIEW_TEAM_INSIGHTS)
    if can(actor, VIEW_INSIGHTS):
        return True, (), ()
    teams = list(actor.supervised_teams)
    for team in teams:
        require(actor, VIEW_TEAM_INSIGHTS, team)
    return False, tuple(t.id for t in teams), tuple(t.name for t in teams)


def dashboard(actor, window_days: int, now: datetime | None = None) -> Dashboard:
    """The dashboard of the last `window_days` days as `actor` may see it."""
    if not WINDOW_DAYS.holds(window_days):
        raise InvalidInput(whole_number_message(WINDOW_DAYS), field="window_days")
    full, team_ids, team_names = _scope(actor)
    now = now or utcnow()
    zone = site_zone()
    # The heavy figures stand as of the day's start (cached); today's movements are added live.
    day = local_date(now)
    since = day_start(day, zone)
    quarters = periods.quarter_ends(now, zone)
    start = periods.window_start(since, window_days)
    stamps = _Stamps(since, sorted({quarter.end for quarter in quarters[:-1]} | {since}))
    # The key of what stands as of the day's start, and so of the past quarters too: entries
    # are never updated or deleted, so it moves only with a backdated entry, a cancellation or
    # a change of people.
    version = stamps.figures(since)
    # HR's rate and thresholds in one read: labels cached under other thresholds are not these.
    settings = get_settings((EURO_SETTING, *THRESHOLD_SETTINGS))
    limits = thresholds_from(settings)
    report = cached(
        ("segments", version, window_days, day, limits),
        lambda: _segment_report(window_days, since, stamps.of(since)),
    )

    def visible(rows):
        return list(rows) if full else [r for r in rows if r.team_id in team_ids]

    rows = visible(report.employees)
    hide = not full
    # The past quarters need only each participant's code: the participants are the current
    # report's (the same people: the key fingerprints them).
    ends = [quarter.end for quarter in quarters[:-1]]
    past_codes = cached(
        ("segment codes", version, window_days, day, limits),
        lambda: _trend_codes(window_days, ends, since, stamps),
    )
    trend = []
    for quarter in quarters[:-1]:
        codes, blank = past_codes[quarter.end]
        label = periods.quarter_label(quarter.first)
        shares = _counted(label, (codes.get(r.employee_id, blank) for r in rows), hide)
        trend.append(TrendPoint(label, shares))
    label = periods.quarter_label(quarters[-1].first)
    trend.append(TrendPoint(label, _shares(label, rows, hide)))

    members = None
    if not full:
        members = tuple(
            db.session.scalars(select(Employee.id).where(Employee.team_id.in_(team_ids))).all()
        )
    whole = _whole_view(window_days, since, now, stamps)
    economy_figures = None
    if full or len(members) >= MIN_GROUP:
        history = cached(
            ("economy", version, window_days, day, members),
            lambda: (
                whole(stored.ECONOMY)
                if members is None
                else economy(start, since, periods.months(start, now, zone), members)
            ),
        )
        economy_figures = with_today(history, since, now, members)
    fair = None
    if full:
        fair = cached(("fairness", version, window_days, day), lambda: whole(stored.FAIRNESS))
    by_team = _by(rows, lambda r: r.team or "")
    return Dashboard(
        window_days=window_days,
        start=start,
        since=since,
        end=now,
        full=full,
        teams=team_names,
        overall=_shares("", rows, hide),
        by_team=_shield(tuple(_shares(team, group, hide) for team, group in by_team.items())),
        by_employment=_shield(
            tuple(
                _shares(kind, group, hide)
                for kind, group in _by(rows, lambda r: r.employment_type).items()
            )
        ),
        trend=tuple(trend),
        individuals=tuple(rows) if full else (),
        pace=(
            _pace("", rows, hide),
            *_shield(tuple(_pace(t, g, hide) for t, g in by_team.items())),
        ),
        economy=economy_figures,
        fairness=fair,
        euro_cents_per_100=int(settings[EURO_SETTING]),
    )
