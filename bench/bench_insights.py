"""Segments speed: 5,000 employees and 1,000,000 ledger entries, against one grouped scan.

The goal (issue 11): computing the segments takes at most 3 times as long as
`SELECT employee_id, sum(points) FROM ledger_entries GROUP BY employee_id` on
the same database; the HR dashboard (`GET /insights`) at most 2 times. Printed:
the report read from the `segment_features` job's stored figures (what the
dashboard and the API read), the report measured live, the job's full refresh
and its run when up to date, the cached report, and the page cold after the job
and warm.

The ledger is written straight into the tables in bulk (executemany on
SQLite, COPY on PostgreSQL), with balances that are the entries' sums and
never negative. Redemption entries get no `redemptions` rows (nothing is
cancelled), so `flask ledger verify` is not run on this throwaway database:
its market checks would miss those rows; the balances check would hold.

Runs on a fresh SQLite file, and on PostgreSQL when POJO_BENCH_DATABASE_URL
is set (its public schema is DROPPED and recreated: a scratch database).

    .venv/bin/python bench/bench_insights.py [--employees 5000] [--entries 1000000]
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402

from pojo import create_app  # noqa: E402
from pojo.database import utcnow  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.insights import service, snapshots  # noqa: E402
from pojo.jobs.registry import run_job  # noqa: E402
from pojo.people.models import Employee, Team  # noqa: E402
from pojo.people.service import create_employee  # noqa: E402
from pojo.unit_of_work import unit_of_work  # noqa: E402

ANCHOR = "SELECT employee_id, sum(points) FROM ledger_entries GROUP BY employee_id"
PASSWORD = "bench-password-1"
# What each kind of person redeems and how: (share of people, price, days waited after it sufficed)
PERSONAS = {
    "impulse": (0.2, 120, 0.5),
    "saver": (0.2, 1500, 3.0),
    "balanced": (0.4, 400, 20.0),
    "dormant": (0.1, None, None),
    "new": (0.1, 120, 5.0),
}


def history(rng: random.Random, persona: str, count: int, end: datetime):
    """`count` entries of one person over 450 days (60 for the new): (at, points, kind)."""
    _share, price, wait = PERSONAS[persona]
    span = 60 if persona == "new" else 450
    step = span / count
    at = end - timedelta(days=span)
    balance, sufficed = 0, None
    for _ in range(count):
        at += timedelta(days=step * rng.uniform(0.5, 1.5))
        if at >= end:
            at = end - timedelta(seconds=rng.randint(1, 3600))
        if price and sufficed is not None and (at - sufficed).days >= wait:
            balance -= price
            sufficed = None
            yield at, -price, "redemption"
            continue
        points = rng.randint(10, 60)
        balance += points
        if price and sufficed is None and balance >= price:
            sufficed = at
        yield at, points, "award"


def build(app, employees: int, entries: int) -> None:
    """Teams, employees, balances and the ledger, in bulk."""
    rng = random.Random(11)
    end = datetime.now(UTC)
    names = list(PERSONAS)
    weights = [PERSONAS[name][0] for name in names]
    with unit_of_work():
        teams = [Team(name=f"Team {n}") for n in range(50)]
        db.session.add_all(teams)
        db.session.flush()
        create_employee("bench.hr", role="hr", team_name="Office", password=PASSWORD)
        db.session.execute(
            insert(Employee),
            [
                {
                    "username": f"agent{n:05d}",
                    "display_name": f"Agent {n}",
                    "role": "agent",
                    "employment_type": "temp" if n % 7 == 0 else "permanent",
                    "team_id": teams[n % 50].id,
                }
                for n in range(employees)
            ],
        )
    ids = [
        row[0] for row in db.session.execute(text("SELECT id FROM employees WHERE role = 'agent'"))
    ]
    db.session.commit()
    rows, balances = [], []
    per = entries // len(ids)
    for employee_id in ids:
        persona = rng.choices(names, weights)[0]
        balance = 0
        for at, points, kind in history(rng, persona, per, end):
            balance += points
            rows.append((employee_id, points, kind, at))
        balances.append((employee_id, balance))
    _load(rows, balances, end)


def _load(rows, balances, now) -> None:
    connection = db.session.connection().connection.dbapi_connection
    cursor = connection.cursor()
    if db.engine.dialect.name == "sqlite":
        fmt = "%Y-%m-%d %H:%M:%S.%f"
        stamp = now.replace(tzinfo=None).strftime(fmt)
        cursor.executemany(
            "INSERT INTO ledger_entries (employee_id, points, kind, at, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            ((e, p, k, a.replace(tzinfo=None).strftime(fmt), stamp) for e, p, k, a in rows),
        )
        cursor.executemany(
            "INSERT INTO balances (employee_id, points, updated_at) VALUES (?, ?, ?)",
            ((e, b, stamp) for e, b in balances),
        )
        connection.commit()
        cursor.execute("ANALYZE")
    else:
        stamp = now.isoformat()
        buffer = io.StringIO()
        for e, p, k, a in rows:
            buffer.write(f"{e}\t{p}\t{k}\t{a.isoformat()}\t{stamp}\n")
        with cursor.copy(
            "COPY ledger_entries (employee_id, points, kind, at, created_at) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
        with cursor.copy("COPY balances (employee_id, points, updated_at) FROM STDIN") as copy:
            copy.write("".join(f"{e}\t{b}\t{stamp}\n" for e, b in balances))
        connection.commit()
        connection.autocommit = True
        # Index-only scans need the visibility map: what autovacuum would do after a load.
        cursor.execute("VACUUM ANALYZE ledger_entries")
        cursor.execute("VACUUM ANALYZE balances")
        connection.autocommit = False
    db.session.remove()


def best(function, times: int) -> float:
    took = []
    for _ in range(times):
        began = time.perf_counter()
        function()
        took.append(time.perf_counter() - began)
        db.session.rollback()
    return min(took)


def live_report():
    """Measured live: the report as of now (no snapshot is for that moment), uncached."""
    service.clear_cache()
    return service.segment_report(365)


def stored_report(as_of):
    """What the dashboard and the API read after the job: the stored figures, uncached."""
    service.clear_cache()
    return service.segment_report(365, as_of)


def run_refresh(now, drop: bool) -> str:
    """The job's body (committed); `drop`: every snapshot missing first (a full refresh)."""
    if drop:
        db.session.execute(text("DELETE FROM segment_figures"))
        db.session.execute(text("DELETE FROM segment_snapshots"))
        db.session.commit()
    return run_job(snapshots.JOB, now)


def dashboard_timer(app):
    """A callable timing GET /insights as HR, or None while the dashboard does not exist."""
    if not any(
        rule.rule == "/insights/" or rule.rule == "/insights" for rule in app.url_map.iter_rules()
    ):
        return None
    client = app.test_client()
    response = client.post("/login", data={"username": "bench.hr", "password": PASSWORD})
    assert response.status_code == 302, response.status_code

    def get():
        response = client.get("/insights", follow_redirects=True)
        assert response.status_code == 200, response.status_code

    return get


def run(url: str, label: str, employees: int, entries: int) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        began = time.perf_counter()
        build(app, employees, entries)
        built = time.perf_counter() - began
        count = db.session.scalar(text("SELECT count(*) FROM ledger_entries"))
        anchor = best(lambda: db.session.execute(text(ANCHOR)).all(), 5)
        now = utcnow()
        as_of = snapshots.day_start(now)
        live = best(live_report, 3)
        began = time.perf_counter()
        summary = run_refresh(now, drop=True)
        refresh = time.perf_counter() - began
        moments = len(snapshots.moments(now))
        up_to_date = best(lambda: run_refresh(now, drop=False), 3)
        stored = best(lambda: stored_report(as_of), 3)
        report = service.segment_report(365, as_of)
        print(
            f"{label:10} built {count:,} entries for {len(report.employees):,} employees "
            f"in {built:.1f} s; segments: {report.summary()}"
        )
        print(f"{label:10} grouped scan (anchor): {anchor * 1000:8.1f} ms (best of 5)")
        print(
            f"{label:10} segment_report stored (uncached, after the job): {stored * 1000:8.1f} ms"
            f" = {stored / anchor:5.2f} x the anchor (goal <= 3)"
        )
        print(
            f"{label:10} segment_report live (uncached, as of now): {live * 1000:8.1f} ms = "
            f"{live / anchor:5.2f} x"
        )
        print(
            f"{label:10} job, {moments} snapshots missing: {refresh * 1000:8.1f} ms = "
            f"{refresh / anchor:5.2f} x ({refresh / moments / anchor:5.2f} x a snapshot); {summary}"
        )
        print(
            f"{label:10} job, up to date: {up_to_date * 1000:8.1f} ms = {up_to_date / anchor:5.2f} x"
        )
        cached = best(lambda: service.segment_report(365, as_of), 3)
        print(
            f"{label:10} segment_report stored (cached): {cached * 1000:8.1f} ms = "
            f"{cached / anchor:5.2f} x"
        )
        get = dashboard_timer(app)
        if get is None:
            print(f"{label:10} GET /insights: no such route yet (the dashboard helper's)")
        else:
            service.clear_cache()
            first = best(get, 1)  # the process's first page: templates compiled too
            service.clear_cache()
            cold = best(get, 1)  # after the job: stored segments, the economy and fairness cold
            page = best(get, 3)
            print(
                f"{label:10} GET /insights first in the process (templates compiled): "
                f"{first * 1000:8.1f} ms = {first / anchor:5.2f} x"
            )
            print(
                f"{label:10} GET /insights cold after the job: {cold * 1000:8.1f} ms = "
                f"{cold / anchor:5.2f} x"
            )
            print(
                f"{label:10} GET /insights warm: {page * 1000:8.1f} ms = {page / anchor:5.2f} x "
                "(goal <= 2)"
            )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench-insights.sqlite3", "SQLite", args.employees, args.entries)
    if os.environ.get("POJO_BENCH_DATABASE_URL"):
        run(os.environ["POJO_BENCH_DATABASE_URL"], "PostgreSQL", args.employees, args.entries)
    else:
        print("PostgreSQL: skipped (set POJO_BENCH_DATABASE_URL to a scratch database)")


if __name__ == "__main__":
    main()
