"""The figures behind the segments, measured from the ledger in SQL.

One statement with window functions (the same text on SQLite and
PostgreSQL but for two date functions) walks every entry up to the window's
end once, in `(employee_id, at, id)` order, the order of the covering index
`ix_ledger_entries_employee_at_cover`, so neither database sorts the ledger
and SQLite reads no table row. Python then builds one `Features` per
employee from one aggregated row each.

How the figures are defined (docs/insights.md):

- the running balance is the sum of the entries in `(at, id)` order
  (imported history is backdated: the id alone is not the order);
- a redemption counts unless it was cancelled (refunded);
- days to redeem: from the start of the run of balances at or above the
  price paid before the redemption (the first credit after the last moment
  the balance was below the price) to the redemption. The balance falls only
  at a debit, so that moment is the last debit leaving less than the price
  (usually the previous debit: only when that left enough are earlier ones
  searched); after it the balance only rose, so the run starts at the first
  credit of that stretch reaching the price;
- the median balance is time-weighted: each balance counts for as long as it
  was held within the window (daily sampling, without the days);
- the thirds of prices are `ntile(3)` over the prices paid in the window.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import bindparam, text

from pojo.database import UTCDateTime
from pojo.extensions import db
from pojo.insights.policy import HAVE_A_SEGMENT
from pojo.insights.segments import Features

# Who takes part: people who earn and redeem; HR and admin run the scheme.
ROLES = HAVE_A_SEGMENT.roles

_SQL = """
WITH w AS MATERIALIZED (
  SELECT employee_id, at, id, points, kind,
         SUM(points) OVER o AS bal,
         SUM(CASE WHEN points < 0 THEN 1 ELSE 0 END) OVER o
           - CASE WHEN points < 0 THEN 1 ELSE 0 END AS grp,
         LEAD(at) OVER o AS next_at
  FROM ledger_entries
  WHERE at <= :end{scope}
  WINDOW o AS (PARTITION BY employee_id ORDER BY at, id ROWS UNBOUNDED PRECEDING)
),
gone AS (SELECT entry_id FROM redemptions WHERE status = 'cancelled'),
debits AS MATERIALIZED (
  SELECT employee_id, at, id, kind, points, grp, bal,
         LAG(bal) OVER (PARTITION BY employee_id ORDER BY at, id) AS prev_bal
  FROM w WHERE points < 0
),
red AS MATERIALIZED (
  SELECT employee_id, at, id, -points AS price, grp, prev_bal FROM debits
  WHERE kind = 'redemption' AND at >= :start AND id NOT IN (SELECT entry_id FROM gone)
),
prices AS (
  SELECT MIN(price) AS cheapest,
         MAX(CASE WHEN tier = 1 THEN price END) AS lower_top,
         MIN(CASE WHEN tier = 3 THEN price END) AS upper_from
  FROM (SELECT price, NTILE(3) OVER (ORDER BY price) AS tier FROM {paid}) t
),
low AS (
  SELECT r.id AS rid, MAX(d.grp) + 1 AS target
  FROM red r JOIN debits d
    ON d.employee_id = r.employee_id AND d.grp < r.grp AND d.bal < r.price
  WHERE r.prev_bal >= r.price
  GROUP BY r.id
),
targets AS MATERIALIZED (
  SELECT r.employee_id, r.id, r.at, r.price,
         CASE WHEN r.prev_bal IS NULL THEN 0
              WHEN r.prev_bal < r.price THEN r.grp
              ELSE COALESCE(l.target, 0) END AS target
  FROM red r LEFT JOIN low l ON l.rid = r.id
),
crossed AS (
  SELECT t.employee_id, t.id, DAYS(t.at) - DAYS(MIN(c.at)) AS waited
  FROM targets t JOIN w c ON c.employee_id = t.employee_id AND c.grp = t.target
    AND c.points > 0 AND c.bal >= t.price
  GROUP BY t.employee_id, t.id, t.at
),
waits AS (
  SELECT employee_id, AVG(waited) AS median_wait FROM (
    SELECT employee_id, waited,
           ROW_NUMBER() OVER (PARTITION BY employee_id ORDER BY waited, id) AS rn,
           COUNT(*) OVER (PARTITION BY employee_id) AS n
    FROM crossed) x
  WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
  GROUP BY employee_id
),
held AS (
  SELECT employee_id, bal,
         DAYS({least}(COALESCE(next_at, :end), :end)) - DAYS({greatest}(at, :start)) AS dur
  FROM w WHERE COALESCE(next_at, :end) > :start
),
balances AS (
  SELECT employee_id, MIN(bal) AS median_balance FROM (
    SELECT employee_id, bal,
           SUM(dur) OVER (PARTITION BY employee_id ORDER BY bal ROWS UNBOUNDED PRECEDING) AS cum,
           SUM(dur) OVER (PARTITION BY employee_id) AS total
    FROM held WHERE dur > 0) x
  WHERE 2 * cum >= total
  GROUP BY employee_id
),
spent AS (
  SELECT r.employee_id, COUNT(*) AS n, SUM(r.price) AS points,
         SUM(CASE WHEN r.price >= p.upper_from THEN r.price ELSE 0 END) AS upper
  FROM red r CROSS JOIN prices p GROUP BY r.employee_id
),
totals AS (
  SELECT employee_id, MIN(at) AS first_at,
         SUM(CASE WHEN at >= :start AND points > 0 AND kind <> 'refund'
             THEN points ELSE 0 END) AS earned,
         MAX(CASE WHEN kind = 'redemption' AND id NOT IN (SELECT entry_id FROM gone)
             THEN at END) AS last_redeemed
  FROM w GROUP BY employee_id
)
SELECT t.employee_id, DAYS(:end) - DAYS(t.first_at) AS history, t.earned,
       DAYS(:end) - DAYS(t.last_redeemed) AS since,
       s.n, s.points, s.upper, wt.median_wait, b.median_balance,
       p.cheapest, p.lower_top
FROM totals t
LEFT JOIN spent s ON s.employee_id = t.employee_id
LEFT JOIN waits wt ON wt.employee_id = t.employee_id
LEFT JOIN balances b ON b.employee_id = t.employee_id
CROSS JOIN prices p
"""

_DIALECT = {
    "sqlite": {"least": "min", "greatest": "max"},
    "postgresql": {"least": "least", "greatest": "greatest"},
}


# One employee's figures: their entries only, but the thirds of prices are everyone's, read
# from the redemptions (each redemption entry has its row: a `ledger verify` invariant).
_EVERYONE_PAID = (
    "(SELECT price_paid AS price FROM redemptions WHERE status <> 'cancelled'"
    " AND created_at >= :start AND created_at <= :end) a"
)


def _statement(dialect: str, one: bool):
    """The statement in `dialect`'s words: DAYS(x) is x in days since an epoch."""
    scope = {"scope": " AND employee_id = :only", "paid": _EVERYONE_PAID} if one else {}
    sql = _SQL.format(**_DIALECT[dialect], **({"scope": "", "paid": "red"} | scope))
    sql = sql.replace("DAYS(", "julianday(") if dialect == "sqlite" else _epoch_days(sql)
    return text(sql).bindparams(
        bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())
    )


def _epoch_days(sql: str) -> str:
    """PostgreSQL: DAYS(x) -> (extract(epoch from x) / 86400.0)."""
    out, i = [], 0
    while (j := sql.find("DAYS(", i)) >= 0:
        k, depth = j + len("DAYS("), 1
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[k], 0)
            k += 1
        out.append(f"{sql[i:j]}(extract(epoch from {sql[j + 5 : k - 1]}) / 86400.0)")
        i = k
    out.append(sql[i:])
    return "".join(out)


@dataclass(frozen=True)
class Catalogue:
    """Prices to compare balances with when nothing was redeemed in the window."""

    cheapest: int
    lower_third: int


def catalogue() -> Catalogue:
    """The active rewards' prices that stand in when nothing was paid in a window."""
    rows = db.session.execute(
        text("SELECT base_price FROM rewards WHERE active ORDER BY base_price")
    ).scalars()
    prices = list(rows)
    if not prices:
        return Catalogue(0, 0)
    return Catalogue(prices[0], prices[max(0, (len(prices) + 2) // 3 - 1)])


def measure(window_days: int, end: datetime, only: int | None = None) -> dict[int, Features]:
    """The features over [end - window_days, end] of everyone with entries (or of `only`)."""
    return with_catalogue(measure_open(window_days, end, only), catalogue())


def measure_open(window_days: int, end: datetime, only: int | None = None) -> dict[int, Features]:
    """`measure`, but the two prices are None where nothing was redeemed in the window (what
    is stored: the catalogue's prices are filled in when read, `with_catalogue`)."""
    start = end - timedelta(days=window_days)
    dialect = db.session.get_bind().dialect.name
    values = {"start": start, "end": end} | ({} if only is None else {"only": only})
    if dialect == "postgresql" and only is None:
        # The pass sorts a million rows by balance: in memory, not in temporary files.
        db.session.execute(text("SET LOCAL work_mem = '128MB'"))
    rows = db.session.execute(_statement(dialect, only is not None), values).all()
    measured = {row.employee_id: _features(row, window_days) for row in rows}
    if only is not None and only not in measured:
        measured[only] = _features(None, window_days)
    return measured


def with_catalogue(found: dict[int, Features], catalogue: Catalogue) -> dict[int, Features]:
    """`found` with the catalogue's prices where no price was paid in the window."""
    return {key: priced(features, catalogue) for key, features in found.items()}


def priced(features: Features, catalogue: Catalogue) -> Features:
    """`features` with the catalogue's prices where none was paid in the window."""
    if features.cheapest_price is not None and features.lower_third_price is not None:
        return features
    return replace(
        features,
        cheapest_price=(
            catalogue.cheapest if features.cheapest_price is None else features.cheapest_price
        ),
        lower_third_price=(
            catalogue.lower_third
            if features.lower_third_price is None
            else features.lower_third_price
        ),
    )


def no_history(window_days: int) -> Features:
    """The features of someone without a single entry (prices open, as `measure_open`'s)."""
    return _features(None, window_days)


def _features(row, window_days: int) -> Features:
    if row is None:
        return Features(0, 0, 0, 0.0, None, 0.0, 0.0, None, None, None)
    history = max(0, int(row.history or 0))
    redemptions = int(row.n or 0)
    observed = max(1, min(window_days, history))
    return Features(
        history_days=history,
        earned=int(row.earned or 0),
        redemptions=redemptions,
        redemptions_per_year=round(redemptions * 365 / observed, 1),
        median_days_to_redeem=(
            None if row.median_wait is None else round(float(row.median_wait), 1)
        ),
        median_balance=float(row.median_balance or 0),
        upper_third_share=round(float(row.upper or 0) / row.points, 3) if row.points else 0.0,
        days_since_redemption=None if row.since is None else int(row.since),
        cheapest_price=None if row.cheapest is None else int(row.cheapest),
        lower_third_price=None if row.lower_top is None else int(row.lower_top),
    )
