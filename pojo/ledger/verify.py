"""`flask ledger verify`: whole-database invariant checks.

Each check is a named SQL query (or a function) that returns the offending rows; each
feature lists its own in `Feature.checks` (awards check their entries, the
market its stock and redemptions), and `run_checks` runs every installed
feature's.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text

from pojo.extensions import db
from pojo.features import installed


@dataclass(frozen=True)
class Check:
    """An invariant: `sql` (or, where SQL cannot say it, `run`) returns the rows that break it."""

    name: str
    sql: str = ""
    run: Callable[[], list[tuple]] | None = None


@dataclass(frozen=True)
class CheckResult:
    name: str
    violations: list[tuple]


# The ledger's own invariants: `sql` selects rows that break one (none when it holds).
LEDGER_CHECKS = (
    Check(
        "every stored balance equals the sum of its entries",
        """
    SELECT e.id, COALESCE(b.points, 0), COALESCE(s.total, 0)
    FROM employees e
    LEFT JOIN balances b ON b.employee_id = e.id
    LEFT JOIN (SELECT employee_id, SUM(points) AS total FROM ledger_entries GROUP BY employee_id) s
           ON s.employee_id = e.id
    WHERE COALESCE(b.points, 0) <> COALESCE(s.total, 0)
    """,
    ),
    Check(
        "no balance is negative",
        "SELECT employee_id, points FROM balances WHERE points < 0",
    ),
    Check(
        "no balance was ever negative, entry by entry",
        """
    SELECT employee_id, id, running FROM (
        SELECT employee_id, id,
               SUM(points) OVER (PARTITION BY employee_id ORDER BY id) AS running
        FROM ledger_entries) r
    WHERE running < 0
    """,
    ),
    Check(
        "every reversal exactly offsets one entry of the same employee",
        """
    SELECT r.id FROM ledger_entries r
    LEFT JOIN ledger_entries o ON o.id = r.reverses_id
    WHERE (r.kind = 'reversal' AND (o.id IS NULL OR o.points <> -r.points
                                    OR o.employee_id <> r.employee_id))
       OR (r.kind <> 'reversal' AND r.reverses_id IS NOT NULL)
    """,
    ),
)


def run_checks() -> list[CheckResult]:
    """Run every installed feature's checks; a result with violations means a broken invariant."""
    results = []
    for check in installed().checks:
        if check.run is not None:
            rows = [tuple(row) for row in check.run()[:20]]
        else:
            rows = [tuple(row) for row in db.session.execute(text(check.sql)).fetchmany(20)]
        results.append(CheckResult(check.name, rows))
    return results


def count_entries() -> int:
    return db.session.execute(text("SELECT COUNT(*) FROM ledger_entries")).scalar_one()
