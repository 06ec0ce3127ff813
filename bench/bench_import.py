"""Outcome import speed: a 50,000-row CSV, imported as `flask outcomes import` does it.

Runs on a fresh SQLite file, and also on PostgreSQL when
POJO_BENCH_DATABASE_URL is set (that database's public schema is DROPPED and
recreated: point it at a scratch database). Prints seconds and rows per
second for the first import (every row new) and for the same file again
(every row a duplicate, nothing awarded).

    .venv/bin/python bench/bench_import.py [--rows 50000] [--employees 2000]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from pojo import create_app  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.ledger.verify import run_checks  # noqa: E402
from pojo.outcomes import imports  # noqa: E402
from pojo.outcomes.models import Outcome  # noqa: E402
from pojo.outcomes.recording import apply_plan  # noqa: E402
from pojo.people.service import create_employee  # noqa: E402
from pojo.unit_of_work import unit_of_work  # noqa: E402

KINDS = [
    ("nps", lambda: random.randint(0, 10)),
    ("fcr", lambda: None),
    ("promise_kept", lambda: None),
    ("quality_review", lambda: random.randint(0, 100)),
]


def make_csv(rows: int, employees: int) -> bytes:
    random.seed(7)
    # Recent enough for POJO_OUTCOME_MAX_AGE_DAYS, or every row would be rejected as too_old.
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)
    lines = ["external_id,employee,kind,score,occurred_at"]
    for number in range(rows):
        kind, score = random.choice(KINDS)
        value = score()
        at = start + timedelta(seconds=random.randint(0, 50 * 86400))
        lines.append(
            f"bench-{number},agent{random.randrange(employees):05d},{kind},"
            f"{'' if value is None else value},{at.isoformat()}"
        )
    return ("\n".join(lines) + "\n").encode()


def timed_import(data: bytes) -> tuple[float, object]:
    began = time.perf_counter()
    with unit_of_work():
        preview = imports.preview_text(None, imports.decode(data))
        recorded = apply_plan(None, preview.plan, "csv")
    return time.perf_counter() - began, recorded


def run(url: str, label: str, rows: int, employees: int) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with unit_of_work():
            for number in range(employees):
                create_employee(
                    f"agent{number:05d}",
                    role="agent",
                    team_name=f"Team {number % 20}",
                    password=None,
                )
        data = make_csv(rows, employees)
        first, recorded = timed_import(data)
        again, repeated = timed_import(data)
        stored = db.session.scalar(select(func.count()).select_from(Outcome))
        broken = [result.name for result in run_checks() if result.violations]
        print(
            f"{label:10} first import: {rows:,} rows in {first:6.2f} s = {rows / first:8,.0f} rows/s "
            f"({recorded.accepted:,} recorded, {len(recorded.awards):,} awards, "
            f"{recorded.points_awarded:,} points)"
        )
        print(
            f"{label:10} same file again: {again:6.2f} s = {rows / again:8,.0f} rows/s "
            f"({repeated.accepted} recorded, {repeated.duplicates:,} duplicates)"
        )
        print(
            f"{label:10} outcomes stored: {stored:,}; ledger invariants: "
            f"{'all hold' if not broken else 'BROKEN ' + ', '.join(broken)}"
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--employees", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench-import.sqlite3", "SQLite", args.rows, args.employees)
    if os.environ.get("POJO_BENCH_DATABASE_URL"):
        run(os.environ["POJO_BENCH_DATABASE_URL"], "PostgreSQL", args.rows, args.employees)
    else:
        print("PostgreSQL: skipped (set POJO_BENCH_DATABASE_URL to a scratch database)")


if __name__ == "__main__":
    main()
