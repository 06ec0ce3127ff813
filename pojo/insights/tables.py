"""Every table of the dashboard as rows of plain values: what the CSV exports write.

The same `Dashboard` the page draws, so an export shows exactly what its
viewer may see. With `pseudonymise`, a person's username and name become one
stable keyed pseudonym ("p-3f9a1c2e", HMAC-SHA256 with the app's secret key):
rows of two exports can be compared without identities.
"""

import csv
import hashlib
import hmac
import io
from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _

from pojo.insights.dashboard import Dashboard
from pojo.insights.segments import CODES

# Which tables a view may export: the team view has no individuals and no fairness.
TEAM_TABLES = ("segments", "trend", "pace", "economy", "months", "rewards")
FULL_TABLES = (*TEAM_TABLES, "individuals", "givers", "members", "teams", "recordings")


def pseudonym(username: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return "p-" + hmac.new(key, username.encode(), hashlib.sha256).hexdigest()[:8]


def _who(person, hide: bool) -> list[str]:
    if person is None:
        return ["", ""]
    if hide:
        alias = pseudonym(person.username)
        return [alias, alias]
    return [person.username, person.display_name]


def _segments(d: Dashboard, hide: bool):
    yield ["group", "kind", "people", *CODES]
    groups = [("all", d.overall)]
    groups += [("team", s) for s in d.by_team] + [("employment", s) for s in d.by_employment]
    for kind, shares in groups:
        if not (shares.hidden or shares.shielded):
            yield [shares.group, kind, shares.total, *(shares.count(c) for c in CODES)]


def _trend(d: Dashboard, hide: bool):
    yield ["quarter", "people", *CODES]
    for point in d.trend:
        if not point.shares.hidden:
            yield [point.label, point.shares.total, *(point.shares.count(c) for c in CODES)]


def _pace(d: Dashboard, hide: bool):
    yield ["group", "people", "mean_per_year", "median_per_year", "reference_per_year"]
    from pojo.insights.dashboard import REFERENCE_PER_YEAR

    for pace in d.pace:
        if not (pace.hidden or pace.shielded):
            yield [pace.group or "all", pace.people, pace.mean, pace.median, REFERENCE_PER_YEAR]


def _economy(d: Dashboard, hide: bool):
    yield ["figure", "value"]
    e = d.economy
    if e is None:
        return
    yield ["issued", e.issued]
    yield ["redeemed", e.redeemed]
    yield ["redemption_rate", "" if e.rate is None else round(e.rate, 4)]
    yield ["median_days_to_spend", e.median_days_to_spend]
    yield ["dormant_points", e.dormant_points]
    yield ["liability_points", e.liability_points]
    yield ["liability_eur", f"{d.liability_cents / 100:.2f}"]


def _months(d: Dashboard, hide: bool):
    yield ["month", "issued", "redeemed"]
    for month in d.economy.months if d.economy else ():
        yield [month.period.first.strftime("%Y-%m"), month.issued, month.redeemed]


def _rewards(d: Dashboard, hide: bool):
    yield ["reward", "redemptions", "points", "active"]
    for reward in d.economy.rewards if d.economy else ():
        yield [reward.name_en, reward.redemptions, reward.points, reward.active]


def _individuals(d: Dashboard, hide: bool):
    yield [
        "username", "name", "team", "employment_type", "agency", "segment",
        "redemptions_per_year", "median_days_to_redeem", "median_balance",
        "upper_third_share", "days_since_redemption", "history_days",
    ]  # fmt: skip
    for row in d.individuals:
        f = row.segment.features
        who = [pseudonym(row.username)] * 2 if hide else [row.username, row.display_name]
        yield [
            *who, row.team or "", row.employment_type, "" if hide else row.agency or "",
            row.segment.code, f.redemptions_per_year, f.median_days_to_redeem,
            f.median_balance, f.upper_third_share, f.days_since_redemption, f.history_days,
        ]  # fmt: skip


def _flag(flag) -> list:
    return ["", ""] if flag is None else [round(flag.median, 3), round(flag.ratio, 2)]


def _givers(d: Dashboard, hide: bool):
    yield [
        "username", "name", "awards", "points", "recipients", "top_username", "top_name",
        "concentration", "points_median", "points_ratio", "concentration_median",
        "concentration_ratio",
    ]  # fmt: skip
    for g in d.fairness.givers:
        yield [
            *_who(g.person, hide), g.awards, g.points, g.recipients, *_who(g.top, hide),
            g.concentration, *_flag(g.points_flag), *_flag(g.concentration_flag),
        ]  # fmt: skip


def _members(d: Dashboard, hide: bool):
    yield ["username", "name", "team", "temp", "awards", "points", "team_median", "ratio"]
    for m in d.fairness.members:
        yield [*_who(m.person, hide), m.team, m.temp, m.awards, m.points, *_flag(m.flag)]


def _teams(d: Dashboard, hide: bool):
    yield [
        "team", "temps", "permanent", "temp_points", "permanent_points", "temp_share",
        "outcome_points", "temp_ratio_to_permanent", "outcome_ratio_to_median",
    ]  # fmt: skip
    for t in d.fairness.teams:
        share = "" if t.temp_share is None else round(t.temp_share, 4)
        yield [
            t.team, t.temps, t.permanent, t.temp_points, t.permanent_points, share,
            t.outcome_points, t.temp_flag.ratio if t.temp_flag else "",
            t.outcome_flag.ratio if t.outcome_flag else "",
        ]  # fmt: skip


def _recordings(d: Dashboard, hide: bool):
    yield [
        "team", "recorded_by_username", "recorded_by_name", "uploaded_by_username",
        "uploaded_by_name", "approved_by_username", "approved_by_name", "outcomes", "points",
    ]  # fmt: skip
    for r in d.fairness.recordings:
        yield [
            r.team, *_who(r.recorded_by, hide), *_who(r.uploaded_by, hide),
            *_who(r.approved_by, hide), r.outcomes, r.points,
        ]  # fmt: skip


WRITERS: dict[str, Callable] = {
    "segments": _segments,
    "trend": _trend,
    "pace": _pace,
    "economy": _economy,
    "months": _months,
    "rewards": _rewards,
    "individuals": _individuals,
    "givers": _givers,
    "members": _members,
    "teams": _teams,
    "recordings": _recordings,
}


def exportable(d: Dashboard) -> tuple[str, ...]:
    return FULL_TABLES if d.full else TEAM_TABLES


def table_title(name: str) -> str:
    return {
        "segments": _("Segment shares"),
        "trend": _("Segments per quarter"),
        "pace": _("Redemptions per employee per year"),
        "economy": _("The points economy"),
        "months": _("Points issued and redeemed per month"),
        "rewards": _("Rewards by demand"),
        "individuals": _("Employees and their segments"),
        "givers": _("Awards per giver"),
        "members": _("Awards per team member"),
        "teams": _("Teams: temps and permanent staff, outcome points"),
        "recordings": _("Who recorded the outcomes"),
    }[name]


def to_csv(d: Dashboard, name: str, pseudonymise: bool) -> str:
    """Table `name` of the dashboard as CSV text (the caller checked it is exportable)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in WRITERS[name](d, pseudonymise):
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()
