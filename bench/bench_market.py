"""The exchange under history and load: page cost against ledger size, redemptions/s.

1. Fills a database with 2,000 employees, 200 rewards and 10,000 ledger
   entries, then again with 1,000,000 (the same last 60 days of activity,
   the rest older history, ~10 % of it redemptions), and prints the median
   latency of the market board and the wallet at each size and their ratio
   (goal: at most 1.2; no page cost grows with history). The sizes take
   turns request by request, so a busy machine slows both alike.
2. With PostgreSQL (POJO_BENCH_DATABASE_URL; the bench (re)creates schemas
   bench_10000 and bench_1000000 in it, leaving others alone), on the
   1,000,000-entry schema: gunicorn with 4 workers, 32 concurrent API clients redeeming
   one hot reward, then spread over all 200: redemptions per second.
3. The board's requests per second as a fraction of a bare Flask route,
   both under the same gunicorn setup, taking turns in rounds; the board is
   /market as a logged-in agent opens it (goal: at least 0.5).

4. `flask --app pojo ledger verify` on every database the bench filled, after all
   parts: a bench's data must be valid data (exit status 1 when it is not).

Without POJO_BENCH_DATABASE_URL, part 1 runs on SQLite files and 2-3 are skipped.

    .venv/bin/python bench/bench_market.py            # the full run
    .venv/bin/python bench/bench_market.py --quick    # a smoke test: small sizes, short runs

Bulk rows go in with Core executemany: ledger entries in time order with their award or
redemption rows, and balances equal to their sums; nobody's balance is ever below zero.
"""

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import bindparam, create_engine, text  # noqa: E402

from pojo import create_app  # noqa: E402
from pojo.api.tokens import create_token  # noqa: E402
from pojo.awards.models import Award, Criterion  # noqa: E402
from pojo.awards.service import award  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.ledger.models import Balance, LedgerEntry  # noqa: E402
from pojo.market import catalogue  # noqa: E402
from pojo.market.models import Redemption, Reward, SavingsGoal  # noqa: E402
from pojo.people.models import Employee  # noqa: E402
from pojo.people.service import create_employee, get_employee  # noqa: E402
from pojo.unit_of_work import unit_of_work  # noqa: E402

PASSWORD = "bench password 1"
RECENT_DAYS = 60
HISTORY_YEARS = 6
CHUNK = 20_000
TOP_UP_MARGIN = 100
PAGES = ("/market", "/wallet")


def bare_app() -> Flask:
    """The baseline: a Flask route that does nothing (served by gunicorn like Pojo)."""
    app = Flask("bare")
    app.add_url_rule("/", "hello", lambda: "ok")
    return app


# -- filling -----------------------------------------------------------------


def sized_url(base: str | None, workdir: Path, entries: int) -> str:
    """A database per size: a SQLite file, or a PostgreSQL schema of its own."""
    if base is None:
        return f"sqlite:///{workdir / f'market-{entries}.sqlite3'}"
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3Dbench_{entries}"


def reset(url: str) -> None:
    if url.startswith("postgresql"):
        schema = url.rsplit("%3D", 1)[1]
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()


def make_people_and_rewards(employees: int, rewards: int, start: datetime) -> list[tuple]:
    """Employees (one with a password, for the pages), an HR user, and the rewards."""
    create_employee("bench.agent", role="agent", team_name="Team 0", password=PASSWORD)
    create_employee("bench.hr", role="hr", team_name="Office", password=None)
    for number in range(1, employees):
        create_employee(
            f"agent{number:05d}", role="agent", team_name=f"Team {number % 40}", password=None
        )
    made = []
    for number in range(rewards):
        base = random.randint(10, 200) * 10
        reward = catalogue.create_reward(
            None,
            name_en=f"Reward {number}",
            name_fi=f"Palkinto {number}",
            category=random.choice(["experience", "item", "wellbeing", "time_off"]),
            base_price=base,
            expected_per_30d=random.randint(1, 6),
        )
        reward.created_at = start
        made.append((reward.id, base))
    db.session.flush()
    return made


def entry_rows(count: int, begin: datetime, end: datetime, employee_ids, rewards, rng, running):
    """`count` entries evenly spread in time: outcome points, and ~10 % redemptions.

    `running` holds each employee's balance so far. Nobody redeems more than they hold: a
    redemption the balance does not cover is preceded, at the same moment, by the points it
    needs (an extra entry that draws nothing from `rng`, so the redemptions and their times are
    the same whatever history came before).
    """
    step = (end - begin) / max(count, 1)
    for index in range(count):
        at = begin + step * index
        employee = rng.choice(employee_ids)
        if rng.random() < 0.1:
            reward_id, price = rng.choice(rewards)
            if running[employee] < price:
                top_up = price - running[employee] + TOP_UP_MARGIN
                running[employee] += top_up
                yield employee, top_up, "outcome", at, None
            running[employee] -= price
            yield employee, -price, "redemption", at, reward_id
        else:
            points = rng.randint(20, 60)
            running[employee] += points
            yield employee, points, "outcome", at, None


def fill_ledger(entries: int, employee_ids, rewards, now: datetime) -> None:
    """Bulk-insert entries (oldest first, so ids follow time), redemptions and balances."""
    recent = min(8_000, int(entries * 0.8))
    history_start = now - timedelta(days=365 * HISTORY_YEARS)
    recent_start = now - timedelta(days=RECENT_DAYS)
    sums = Counter()
    running = Counter()
    # The same seed for the recent block: both sizes share the last 60 days' redemptions exactly.
    streams = [
        entry_rows(
            entries - recent,
            history_start,
            recent_start,
            employee_ids,
            rewards,
            random.Random(1),
            running,
        ),
        entry_rows(
            recent,
            recent_start,
            now - timedelta(minutes=5),
            employee_ids,
            rewards,
            random.Random(2),
            running,
        ),
    ]
    entry_id = redemption_id = 0
    batch, redemptions, awards = [], [], []
    criterion = db.session.scalar(db.select(Criterion.id).limit(1))
    award_count = [0]  # awards already flushed

    def add_award_row(entry: dict) -> None:
        awards.append({
            "id": len(awards) + award_count[0] + 1, "employee_id": entry["employee_id"], "criterion_id": criterion,
            "points": entry["points"], "note": "bench", "source": "outcome",
            "awarded_by_id": None, "team_id": None, "entry_id": entry["id"],
            "request_id": None, "created_at": entry["at"],
        })  # fmt: skip
        entry["reference"] = f"award:{awards[-1]['id']}"

    def flush():
        for table, rows in ((LedgerEntry, batch), (Redemption, redemptions), (Award, awards)):
            if rows:
                db.session.execute(table.__table__.insert(), rows)
                if table is Award:
                    award_count[0] += len(rows)
                rows.clear()

    # The wallet's employee (the first) gets a full first page of recent entries at every
    # size, so the page shows the same rows and only the history behind them differs.
    streams.append(
        (employee_ids[0], 40, "outcome", now - timedelta(hours=hour), None)
        for hour in range(30, 0, -1)
    )
    for stream in streams:
        for employee, points, kind, at, reward_id in stream:
            entry_id += 1
            sums[employee] += points
            row = {
                "id": entry_id, "employee_id": employee, "points": points, "kind": kind,
                "at": at, "created_at": at, "actor_id": None, "note": None,
                "reference": None, "reverses_id": None,
            }  # fmt: skip
            if reward_id is not None:
                redemption_id += 1
                row["reference"] = f"redemption:{redemption_id}"
                pending = at > now - timedelta(days=3)
                redemptions.append({
                    "id": redemption_id, "employee_id": employee, "reward_id": reward_id,
                    "price_paid": -points, "max_price": -points,
                    "status": "pending" if pending else "fulfilled", "created_at": at,
                    "decided_at": None if pending else at, "decided_by_id": None,
                    "decision_note": None, "entry_id": entry_id, "refund_entry_id": None,
                    "request_id": None,
                })  # fmt: skip
            else:
                add_award_row(row)
            batch.append(row)
            if len(batch) >= CHUNK:
                flush()
    flush()
    balances = Balance.__table__
    db.session.execute(
        balances.update()
        .where(balances.c.employee_id == bindparam("employee"))
        .values(points=bindparam("points")),
        [{"employee": e, "points": sums[e]} for e in employee_ids],
    )


def fill(url: str, employees: int, rewards: int, entries: int) -> None:
    random.seed(7)
    reset(url)
    now = datetime.now(UTC)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with unit_of_work():
            made = make_people_and_rewards(employees, rewards, now - timedelta(days=400))
            employee_ids = list(db.session.scalars(db.select(Employee.id).order_by(Employee.id)))
            fill_ledger(entries, employee_ids, made, now)
            agent = get_employee("bench.agent")
            db.session.add(
                SavingsGoal(employee_id=agent.id, reward_id=made[0][0], reference_price=made[0][1])
            )
        with unit_of_work():
            if db.engine.dialect.name == "postgresql":
                for table in ("ledger_entries", "redemptions", "awards"):
                    db.session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                        )
                    )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        db.session.remove()
        db.engine.dispose()


# -- part 1: page latency against history --------------------------------------


def logged_in_client(url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.post("/login", data={"username": "bench.agent", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def page_latency(urls: dict[int, str], args) -> dict:
    """Median latency of each page per size; sizes take turns, so load drift hits all alike."""
    for entries, url in urls.items():
        began = time.perf_counter()
        fill(url, args.employees, args.rewards, entries)
        print(f"  filled {entries:,} entries in {time.perf_counter() - began:.1f} s")
    clients = {entries: logged_in_client(url) for entries, url in urls.items()}
    timings = {(entries, page): [] for entries in urls for page in PAGES}
    for round_ in range(args.requests + 5):
        for entries, client in clients.items():
            for page in PAGES:
                began = time.perf_counter()
                response = client.get(page)
                elapsed = time.perf_counter() - began
                assert response.status_code == 200, (page, response.status_code)
                if round_ >= 5:  # warm-up
                    timings[entries, page].append(elapsed)
    results = {key: statistics.median(found) for key, found in timings.items()}
    for (entries, page), seconds in results.items():
        print(f"  {page:8} median {seconds * 1000:7.2f} ms at {entries:,} entries")
    return results


# -- parts 2 and 3: gunicorn ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, target: str, url: str, workers: int = 4):
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret", POJO_SCHEDULER="")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--chdir", str(ROOT), "--log-level", "warning", target],
            env=env,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(60):
            try:
                requests.get(self.base + "/", timeout=5, allow_redirects=False)
                return
            except requests.RequestException:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def closed_loop(clients: int, seconds: float, request) -> tuple[float, Counter]:
    """`clients` threads each calling `request(index, session)` back to back; (per second, outcomes)."""
    outcomes = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(index):
        session = requests.Session()
        setup = request(index, session, None)
        barrier.wait()
        deadline = time.perf_counter() + seconds  # after every client's set-up
        while time.perf_counter() < deadline:
            outcome = request(index, session, setup)
            with lock:
                outcomes[outcome] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return sum(outcomes.values()) / (time.perf_counter() - began), outcomes


def redemption_rate(url: str, clients: int, seconds: float) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), unit_of_work():
        # The clients' points come as real awards by HR, so the ledger stays valid data.
        db.session.add(
            Criterion(
                code="bench_funds",
                tier="excellent",
                points=100_000_000,
                name_en="Bench funds",
                name_fi="Bench-varat",
            )
        )
        db.session.flush()
        hr = get_employee("bench.hr")
        tokens = []
        for number in range(1, clients + 1):
            employee = get_employee(f"agent{number:05d}")
            award(hr, employee.username, "bench_funds", "bench")
            tokens.append(create_token(employee.username, "bench")[1])
        rewards = [(r.id, r.ceiling_price) for r in db.session.scalars(db.select(Reward))]
    with app.app_context():
        db.engine.dispose()
    server = Gunicorn("wsgi:app", url)
    try:
        for label, choose in (
            ("one hot reward", lambda: rewards[0]),
            ("spread over all rewards", lambda: random.choice(rewards)),
        ):

            def redeem(index, session, setup, choose=choose):
                if setup is None:
                    session.headers["Authorization"] = f"Bearer {tokens[index]}"
                    return True
                reward_id, ceiling = choose()
                response = session.post(
                    server.base + "/api/v1/redemptions",
                    json={"reward": reward_id, "max_price": ceiling},
                )
                return response.status_code if response.status_code != 201 else "redeemed"

            rate, outcomes = closed_loop(clients, seconds, redeem)
            redeemed = outcomes["redeemed"] * rate / max(sum(outcomes.values()), 1)
            print(f"  {label:24} {redeemed:8.1f} redemptions/s  ({dict(outcomes)})")
    finally:
        server.stop()


def login(session: requests.Session, base: str) -> None:
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(
        base + "/login",
        data={"username": "bench.agent", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.status_code


ROUNDS = 4


def board_fraction(url: str, clients: int, seconds: float) -> None:
    """Board vs bare route, both served at once, measured in alternating rounds.

    Taking turns means a busy machine slows both alike. Each client logs in
    once and keeps its session, like an agent with the board open; redirects
    are not followed, so only the board page itself counts as a 200. Each
    client loads its page once before timing: the board's first request in
    a worker draws the shared rows, which later requests reuse.
    """
    servers = {
        "bare Flask route": (Gunicorn("bench.bench_market:bare_app()", url), "/"),
        "market board": (Gunicorn("wsgi:app", url), "/market"),
    }
    sessions: dict[tuple[str, int], requests.Session] = {}
    served = {label: Counter() for label in servers}
    spent = dict.fromkeys(servers, 0.0)
    try:
        for _round in range(ROUNDS):
            for label, (server, path) in servers.items():

                def get(index, _session, setup, label=label, path=path, base=server.base):
                    key = (label, index)
                    if key not in sessions:
                        sessions[key] = requests.Session()
                        if path != "/":
                            login(sessions[key], base)
                        page = sessions[key].get(base + path, allow_redirects=False)
                        if page.status_code != 200 or (
                            path != "/" and "data-board" not in page.text
                        ):
                            print(f"  ! {label}: not the page expected ({page.status_code})")
                    if setup is None:
                        return True
                    return sessions[key].get(base + path, allow_redirects=False).status_code

                rate, outcomes = closed_loop(clients, seconds / ROUNDS, get)
                spent[label] += sum(outcomes.values()) / rate
                served[label] += outcomes
    finally:
        for server, _path in servers.values():
            server.stop()
    rates = {}
    for label in servers:
        rates[label] = served[label][200] / spent[label]
        print(f"  {label:24} {rates[label]:8.1f} requests/s  ({dict(served[label])})")
    print(
        f"RATIO board / bare route requests per second: {rates['market board'] / rates['bare Flask route']:.2f}  (goal >= 0.5)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and short runs (smoke test)"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    args.employees, args.rewards = (200, 40) if args.quick else (2_000, 200)
    small, big = (2_000, 50_000) if args.quick else (10_000, 1_000_000)
    args.requests = 10 if args.quick else 40
    seconds = 3 if args.quick else 20
    pg = os.environ.get("POJO_BENCH_DATABASE_URL")
    workdir = Path(tempfile.mkdtemp(prefix="pojo-bench-"))
    urls = {entries: sized_url(pg, workdir, entries) for entries in (small, big)}
    backend = "PostgreSQL" if pg else "SQLite"
    print(f"Part 1: page latency, {args.employees:,} employees, {args.rewards} rewards, {backend}")
    results = page_latency(urls, args)
    for page in PAGES:
        ratio = results[big, page] / results[small, page]
        print(
            f"RATIO {page} median latency at {big:,} / {small:,} entries: {ratio:.2f}"
            "  (goal <= 1.2)"
        )
    if pg:
        print(f"Part 2: redemptions per second, gunicorn 4 workers, 32 clients, {seconds} s each")
        redemption_rate(urls[big], 32, seconds)
        print(f"Part 3: requests per second, gunicorn 4 workers, 32 clients, {seconds} s each")
        board_fraction(urls[big], 32, seconds)
    else:
        print("Parts 2-3 skipped: set POJO_BENCH_DATABASE_URL to a scratch PostgreSQL database.")
    if not all([verify_ledger(url) for url in urls.values()]):
        sys.exit("The bench's data fails `ledger verify`.")


def verify_ledger(url: str) -> bool:
    """`flask --app pojo ledger verify` on one of the bench's databases; prints its verdict."""
    env = dict(os.environ, DATABASE_URL=url, POJO_SCHEDULER="")
    done = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "pojo", "ledger", "verify"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = done.stdout.strip().splitlines()
    failures = [line for line in lines if line.startswith("FAIL")]
    print(f"ledger verify ({url.rsplit('/', 1)[-1]}): {' '.join(lines[:1] + lines[-1:])}")
    for line in failures:
        print(f"  {line}")
    return done.returncode == 0


if __name__ == "__main__":
    main()
