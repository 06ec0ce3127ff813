"""The insights dashboard's cost as multiples of one grouped scan of the ledger.

The anchor is `SELECT employee_id, sum(points) FROM ledger_entries GROUP BY employee_id`
on the same database. Measured on a database `bench_market.py` filled (5,000 employees
and 1,000,000 entries by default: `--fill` makes one; without it give its URL):

- the cache key (`pojo.insights.stored.stamps` of the day's start and the past quarter ends,
  as the page reads it): what every warm page view pays;
- the economy and the fairness tables worked out cold (once a day, or after a backdated
  import) and the economy's live part (today's entries only, every view);
- the `segment_features` job (storing the segments as of the day's start and the past
  quarter ends, and the economy and fairness as of the day's start), then the stored
  economy and fairness read back with their stamp, and the whole page cold after the job
  (everything read from the stored figures) and warm (HR, from the cache).

Goal: the page, cold after the job and warm, under 2 anchors. On PostgreSQL the ledger is
vacuumed first, as autovacuum does after a load: a count of the ledger is then an
index-only scan.

    .venv/bin/python bench/bench_dashboard.py sqlite:////tmp/bench1m.sqlite3 [--fill]
    .venv/bin/python bench/bench_dashboard.py "postgresql+psycopg://...?options=-csearch_path%3Dbench_1000000"
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import text  # noqa: E402

from pojo import create_app  # noqa: E402
from pojo.database import utcnow  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.insights import periods  # noqa: E402
from pojo.insights import stored as stored_figures  # noqa: E402
from pojo.insights.economy import economy, with_today  # noqa: E402
from pojo.insights.fairness import fairness  # noqa: E402
from pojo.rows import local_date, site_zone  # noqa: E402

ANCHOR = text("SELECT employee_id, sum(points) FROM ledger_entries GROUP BY employee_id")


def timed(work, runs: int = 3) -> float:
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - began)
        db.session.rollback()
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--fill", action="store_true", help="fill it first (bench_market.fill)")
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.fill:
        import bench_market

        bench_market.fill(args.url, 5000, 200, args.entries)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SERVER_NAME": "bench.test"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            raw = db.engine.raw_connection()
            raw.driver_connection.autocommit = True
            raw.driver_connection.execute("VACUUM ANALYZE ledger_entries")
            raw.close()
        now = utcnow()
        start = now - timedelta(days=365)
        months = periods.months(start, now, site_zone())
        ends = [q.end for q in periods.quarter_ends(now, site_zone())[:-1]]
        since = periods.day_start(local_date(now), site_zone())
        anchor = timed(lambda: db.session.execute(ANCHOR).all())
        base = economy(start, since, months)
        figures = {
            "cache key (every view)": timed(lambda: stored_figures.stamps(sorted({*ends, since}))),
            "economy, cold": timed(lambda: economy(start, since, months), runs=1),
            "economy, today's part": timed(lambda: with_today(base, since, now)),
            "fairness, cold": timed(lambda: fairness(start, now), runs=1),
        }
        try:
            import pojo.insights.service  # noqa: F401
        except ImportError:
            print("(the segments' service is not installed: the whole page is not measured)")
        else:
            from pojo.insights import stored
            from pojo.insights.cache import forget
            from pojo.insights.dashboard import dashboard
            from pojo.insights.snapshots import JOB
            from pojo.jobs.registry import run_job
            from pojo.people.service import get_employee

            figures["segment_features job"] = timed(lambda: run_job(JOB), runs=1)

            def read_stored():
                current = stored.stamp(since)
                for kind in stored.KINDS:
                    assert stored.read(kind, 365, since, current, now) is not None, kind

            figures["economy+fairness stored"] = timed(read_stored)
            forget()
            with app.test_request_context():
                hr = get_employee("bench.hr")
                figures["page, cold after job"] = timed(lambda: dashboard(hr, 365), runs=1)
                figures["page, warm"] = timed(lambda: dashboard(hr, 365))
        print(f"{db.engine.dialect.name}: anchor scan {anchor * 1000:.0f} ms")
        for name, seconds in figures.items():
            print(f"  {name:<24} {seconds * 1000:8.0f} ms  {seconds / anchor:6.2f} anchors")


if __name__ == "__main__":
    main()
