"""History import speed: a 1,000,000-row file for 5,000 employees, imported as
`flask history import` does it (goal: under a minute on PostgreSQL).

Runs on a fresh SQLite file, and also on PostgreSQL when
POJO_BENCH_DATABASE_URL is set (that database's public schema is DROPPED and
recreated: point it at a scratch database). Prints seconds, rows per second
and the ratio to the 60 s goal for the import; the CPU seconds of this process
and of its PostgreSQL server process (when the server is local: on a shared
machine these stay put while the wall time follows the load); the same file
again (a no-op) and `ledger verify` afterwards.

    .venv/bin/python bench/bench_history_import.py [--rows 1000000] [--employees 5000]
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
from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from pojo import create_app  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.history import service  # noqa: E402
from pojo.ledger.models import Balance  # noqa: E402
from pojo.ledger.verify import run_checks  # noqa: E402
from pojo.market.catalogue import create_reward  # noqa: E402
from pojo.people.models import Employee, Team  # noqa: E402
from pojo.unit_of_work import unit_of_work  # noqa: E402

GOAL_SECONDS = 60.0
REWARDS = [f"Palkinto {number}" for number in range(20)]
# Names no reward has: each becomes an archived reward.
OLD_REWARDS = ["Vanha lahjakortti", "Old cinema ticket"]


def make_csv(rows: int, employees: int) -> bytes:
    """Per employee, a year of awards and redemptions that never overdraws; lines shuffled."""
    random.seed(11)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=400)
    per = rows // employees
    lines = []
    for number in range(employees):
        balance = 0
        for offset in sorted(random.randrange(365 * 86400) for _ in range(per)):
            at = start + timedelta(seconds=offset)
            if balance >= 150 and random.random() < 0.4:
                points = random.randint(50, min(balance, 400))
                balance -= points
                reward = random.choice(REWARDS + OLD_REWARDS)
                lines.append(f"agent{number:05d},{at.isoformat()},redemption,{points},{reward},")
            else:
                points = random.randint(10, 100)
                balance += points
                lines.append(f"agent{number:05d},{at.isoformat()},award,{points},,")
    random.shuffle(lines)
    return ("employee,at,kind,points,reward,note\n" + "\n".join(lines) + "\n").encode()


def _people(employees: int) -> None:
    with unit_of_work():
        db.session.execute(insert(Team), [{"name": f"Team {n}"} for n in range(20)])
        teams = dict(db.session.execute(select(Team.name, Team.id)).all())
        db.session.execute(
            insert(Employee),
            [
                {
                    "username": f"agent{n:05d}",
                    "display_name": f"Agent {n}",
                    "role": "agent",
                    "team_id": teams[f"Team {n % 20}"],
                }
                for n in range(employees)
            ],
        )
        ids = db.session.scalars(select(Employee.id)).all()
        db.session.execute(insert(Balance), [{"employee_id": i, "points": 0} for i in ids])
        for name in REWARDS:
            create_reward(None, name_en=name, name_fi=name, base_price=200)


def _progress(stage, done, total):
    pass


def _backend_pid() -> int | None:
    """The PostgreSQL server process of this session's connection (None on SQLite)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return db.session.execute(text("SELECT pg_backend_pid()")).scalar()


def _server_cpu(pid: int | None) -> float | None:
    """CPU seconds the (local) server process has used so far; None when it cannot be read."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # a server on another machine
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(url: str, label: str, rows: int, employees: int, data: bytes) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        _people(employees)
        began, cpu = time.perf_counter(), time.process_time()
        with unit_of_work():
            backend = _backend_pid()
            server = _server_cpu(backend)
            preview, found = service.import_file(None, data, "bench.csv", progress=_progress)
        first = time.perf_counter() - began
        cpu = time.process_time() - cpu
        server = _server_cpu(backend) - server if server is not None else None
        assert found is not None, preview.rejected[:5]
        began = time.perf_counter()
        with unit_of_work():
            again, repeated = service.import_file(None, data, "bench.csv")
        second = time.perf_counter() - began
        began = time.perf_counter()
        broken = [result.name for result in run_checks() if result.violations]
        verify = time.perf_counter() - began
        print(
            f"{label:10} import: {rows:,} rows in {first:6.2f} s = {rows / first:9,.0f} rows/s; "
            f"{first / GOAL_SECONDS:.2f} × the {GOAL_SECONDS:.0f} s goal "
            f"({found.awards:,} awards, {found.redemptions:,} redemptions)"
        )
        print(
            f"{label:10} CPU of the import: this process {cpu:6.2f} s"
            + (f", its database server process {server:6.2f} s" if server is not None else "")
            + f" (wall {first:.2f} s)"
        )
        print(
            f"{label:10} same file again: {second:6.2f} s "
            f"({'nothing changed' if repeated is None else 'IMPORTED AGAIN'})"
        )
        print(
            f"{label:10} ledger verify: {verify:6.2f} s, "
            f"{'all invariants hold' if not broken else 'BROKEN ' + ', '.join(broken)}"
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--employees", type=int, default=5_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    data = make_csv(args.rows, args.employees)
    print(f"file: {len(data) / 1e6:.1f} MB, {args.rows:,} rows, {args.employees:,} employees")
    if os.environ.get("POJO_BENCH_DATABASE_URL"):
        run(os.environ["POJO_BENCH_DATABASE_URL"], "PostgreSQL", args.rows, args.employees, data)
    else:
        print("PostgreSQL: skipped (set POJO_BENCH_DATABASE_URL to a scratch database)")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench-history.sqlite3"
            run(url, "SQLite", args.rows, args.employees, data)


if __name__ == "__main__":
    main()
