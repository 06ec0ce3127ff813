"""The points economy in aggregates: issued against redeemed, dormant points, the liability.

Every figure is one SQL aggregate (no Python loop over ledger rows), for
everyone or for the employees a scope selects. What counts as what, by the
ledger's `kind`:

- redeemed: `redemption` entries less their `refund`s (a cancelled redemption
  gives its points back);
- expired: `expiry` (a temp's points at the contract's end): neither issued
  nor redeemed;
- issued: every other entry: awards, outcome awards, cover points and
  imported history, less `reversal`s of mistaken awards.

Earning to spending is matched first in, first out: the n-th point an
employee spends is the n-th point they were credited (see docs/insights.md).
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, func, literal, select, text

from pojo.database import UTCDateTime
from pojo.extensions import db
from pojo.insights.periods import DORMANT_DAYS, Period
from pojo.ledger.models import Balance, LedgerEntry
from pojo.market.models import Redemption, Reward

SPENT_KINDS = ("redemption", "refund")
EXPIRED_KINDS = ("expiry",)
# How many rewards the most and the least wanted lists show.
REWARDS_SHOWN = 5


@dataclass(frozen=True)
class Month:
    period: Period
    issued: int
    redeemed: int


@dataclass(frozen=True)
class RewardDemand:
    reward_id: int
    name_en: str
    name_fi: str
    redemptions: int
    points: int
    active: bool

    def name(self, language: str) -> str:
        return self.name_fi if language == "fi" else self.name_en


@dataclass(frozen=True)
class Economy:
    months: tuple[Month, ...]
    issued: int
    redeemed: int
    median_days_to_spend: float | None
    dormant_points: int
    liability_points: int
    rewards: tuple[RewardDemand, ...]  # every reward, the most wanted first

    @property
    def rate(self) -> float | None:
        """Redeemed ÷ issued over the window; None when nothing was issued."""
        return self.redeemed / self.issued if self.issued > 0 else None

    @property
    def most_wanted(self) -> tuple[RewardDemand, ...]:
        return tuple(r for r in self.rewards if r.redemptions > 0)[:REWARDS_SHOWN]

    @property
    def least_wanted(self) -> tuple[RewardDemand, ...]:
        """The active rewards redeemed least (none at all first)."""
        shown = {r.reward_id for r in self.most_wanted}
        rest = [r for r in reversed(self.rewards) if r.active and r.reward_id not in shown]
        return tuple(rest[:REWARDS_SHOWN])


def _in_scope(column, members):
    return literal(True) if members is None else column.in_(members)


def _bucket(column, periods: list[Period]):
    """Which period a timestamp falls in, as an index (SQL; None outside them)."""
    return case(*((column < period.end, index) for index, period in enumerate(periods)), else_=None)


def _monthly(months: list[Period], members, end: datetime | None = None) -> list[Month]:
    """Issued and redeemed per period, counting entries dated before `end` (default: the last
    period's end)."""
    if not months:
        return []
    entry = LedgerEntry
    bucket = _bucket(entry.at, months).label("bucket")
    spent = entry.kind.in_(SPENT_KINDS)
    issued = ~spent & entry.kind.not_in(EXPIRED_KINDS)
    rows = db.session.execute(
        select(
            bucket,
            func.coalesce(func.sum(case((issued, entry.points), else_=0)), 0),
            func.coalesce(func.sum(case((spent, -entry.points), else_=0)), 0),
        )
        .where(
            entry.at >= months[0].start,
            entry.at < (end or months[-1].end),
            _in_scope(entry.employee_id, members),
        )
        .group_by(bucket)
    ).all()
    found = {index: (int(i), int(r)) for index, i, r in rows}
    return [Month(period, *found.get(index, (0, 0))) for index, period in enumerate(months)]


def _dormant(now: datetime, members) -> int:
    """Points credited over DORMANT_DAYS ago that no later spending used up (FIFO).

    First in, first out, the points an employee has spent or lost are always the
    oldest they were credited, so what is left of the old credits is their sum
    less everything debited, when that is positive.
    """
    entry = LedgerEntry
    cut = now - timedelta(days=DORMANT_DAYS)
    per_employee = (
        select(
            func.sum(case(((entry.points > 0) & (entry.at <= cut), entry.points), else_=0)).label(
                "old"
            ),
            func.sum(case((entry.points < 0, -entry.points), else_=0)).label("debited"),
        )
        .where(entry.at <= now, _in_scope(entry.employee_id, members))
        .group_by(entry.employee_id)
        .subquery()
    )
    left = per_employee.c.old - per_employee.c.debited
    return int(
        db.session.scalar(select(func.coalesce(func.sum(case((left > 0, left), else_=0)), 0)))
    )


def _liability(members) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(Balance.points), 0)).where(
                _in_scope(Balance.employee_id, members)
            )
        )
    )


def _rewards(start: datetime, end: datetime, members) -> list[RewardDemand]:
    counted = (
        select(
            Redemption.reward_id,
            func.count(Redemption.id).label("n"),
            func.sum(Redemption.price_paid).label("points"),
        )
        .where(
            Redemption.created_at >= start,
            Redemption.created_at < end,
            Redemption.status != "cancelled",
            _in_scope(Redemption.employee_id, members),
        )
        .group_by(Redemption.reward_id)
        .subquery()
    )
    n = func.coalesce(counted.c.n, 0)
    rows = db.session.execute(
        select(
            Reward.id,
            Reward.name_en,
            Reward.name_fi,
            n,
            func.coalesce(counted.c.points, 0),
            Reward.active,
        )
        .outerjoin(counted, counted.c.reward_id == Reward.id)
        .where((counted.c.n.is_not(None)) | Reward.active)
        .order_by(n.desc(), Reward.name_en, Reward.id)
    ).all()
    return [RewardDemand(r[0], r[1], r[2], int(r[3]), int(r[4]), bool(r[5])) for r in rows]


# The n-th point spent is matched with the n-th point credited: each entry's cumulative
# credits or debits mark its end on one axis per employee; between two consecutive marks
# one credit and one debit cover the axis, found by counting marks from the far end.
# The median is weighted by points (the length of each piece of the axis). What was
# debited before the window (up to `d_before` on the axis) is left out before the sorts.
_FIFO = """
WITH e AS (
  SELECT employee_id, id, at, points, kind,
    SUM(CASE WHEN points > 0 THEN points ELSE 0 END)
      OVER (PARTITION BY employee_id ORDER BY at, id ROWS UNBOUNDED PRECEDING) AS c_end,
    SUM(CASE WHEN points < 0 THEN -points ELSE 0 END)
      OVER (PARTITION BY employee_id ORDER BY at, id ROWS UNBOUNDED PRECEDING) AS d_end
  FROM ledger_entries WHERE at < :end {scope}
),
b AS (
  SELECT e.*,
    MAX(CASE WHEN at < :start THEN d_end ELSE 0 END) OVER (PARTITION BY employee_id) AS d_before
  FROM e
),
marks AS (
  SELECT employee_id, d_before, c_end AS pos, 1 AS side, at AS credit_at, NULL AS debit_at,
    0 AS counted
    FROM b WHERE points > 0 AND c_end > d_before
  UNION ALL
  SELECT employee_id, d_before, d_end, 0, NULL, at,
    CASE WHEN kind = 'redemption' AND at >= :start THEN 1 ELSE 0 END
    FROM b WHERE points < 0 AND d_end > d_before
),
grouped AS (
  SELECT marks.*,
    pos - COALESCE(LAG(pos) OVER (PARTITION BY employee_id ORDER BY pos, side), d_before)
      AS length,
    COUNT(credit_at) OVER (PARTITION BY employee_id ORDER BY pos DESC, side DESC
      ROWS UNBOUNDED PRECEDING) AS c_group,
    COUNT(debit_at) OVER (PARTITION BY employee_id ORDER BY pos DESC, side DESC
      ROWS UNBOUNDED PRECEDING) AS d_group
  FROM marks
),
pieces AS (
  SELECT length,
    MAX(credit_at) OVER (PARTITION BY employee_id, c_group) AS credit_at,
    MAX(debit_at) OVER (PARTITION BY employee_id, d_group) AS debit_at,
    MAX(counted) OVER (PARTITION BY employee_id, d_group) AS counted
  FROM grouped
),
spent AS (
  SELECT {days} AS days, length FROM pieces
  WHERE counted = 1 AND length > 0 AND credit_at IS NOT NULL AND debit_at IS NOT NULL
),
ranked AS (
  SELECT days, SUM(length) OVER (ORDER BY days ROWS UNBOUNDED PRECEDING) AS running,
    SUM(length) OVER () AS total
  FROM spent
)
SELECT MIN(days) FROM ranked WHERE 2 * running >= total
"""
_DAYS = {
    "sqlite": "julianday(debit_at) - julianday(credit_at)",
    "postgresql": "EXTRACT(EPOCH FROM (debit_at - credit_at)) / 86400.0",
}


def _median_days_to_spend(start: datetime, end: datetime, members: tuple[int, ...] | None):
    """The median age, in days, of the points redeemed in [start, end), first in first out."""
    if members is not None and not members:
        return None
    bind = {"start": start, "end": end}
    scope = ""
    if members is not None:
        scope = "AND employee_id IN ({})".format(", ".join(f":m{i}" for i in range(len(members))))
        bind |= {f"m{i}": member for i, member in enumerate(members)}
    dialect = db.session.get_bind().dialect.name
    statement = text(_FIFO.format(scope=scope, days=_DAYS[dialect])).bindparams(
        bindparam("start", type_=UTCDateTime), bindparam("end", type_=UTCDateTime)
    )
    value = db.session.scalar(statement, bind)
    return None if value is None else round(float(value), 1)


def economy(
    start: datetime, end: datetime, months: list[Period], members: tuple[int, ...] | None = None
) -> Economy:
    """The economy of [start, end) for everyone, or for the employees `members` lists.

    `months` may reach past `end` (to now): their figures count entries before `end` only.
    """
    monthly = _monthly(months, members, end)
    return Economy(
        months=tuple(monthly),
        issued=sum(m.issued for m in monthly),
        redeemed=sum(m.redeemed for m in monthly),
        median_days_to_spend=_median_days_to_spend(start, end, members),
        dormant_points=_dormant(end, members),
        liability_points=_liability(members),
        rewards=tuple(_rewards(start, end, members)),
    )


def with_today(history: Economy, since: datetime, now: datetime, members=None) -> Economy:
    """`history` (worked out up to `since`, the day's start) with what moved since, and the
    liability now: small range queries over today's entries only."""
    (today,) = _monthly([Period(since.date(), since, now)], members)
    months = list(history.months)
    if months:
        last = months[-1]
        months[-1] = Month(last.period, last.issued + today.issued, last.redeemed + today.redeemed)
    added = {r.reward_id: r for r in _rewards(since, now, members)}
    merged = []
    for reward in history.rewards:
        new = added.pop(reward.reward_id, None)
        if new is not None:
            reward = replace(
                reward,
                redemptions=reward.redemptions + new.redemptions,
                points=reward.points + new.points,
            )
        merged.append(reward)
    merged.extend(added.values())
    merged.sort(key=lambda r: (-r.redemptions, r.name_en, r.reward_id))
    return replace(
        history,
        months=tuple(months),
        issued=history.issued + today.issued,
        redeemed=history.redeemed + today.redeemed,
        liability_points=_liability(members),
        rewards=tuple(merged),
    )
