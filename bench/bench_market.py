"""The exchange under history and load: page cost against ledger size, redemptions/s.

1. Fills a database with 2,000 employees, 200 rewards and 10,000 ledger
   entries, then again with 1,000,000 (the same last 60 days of activity,
   the rest older history, ~10 % of it redemptions), serves each with gunicorn
   (4 workers) and measures the market board's and the wallet's requests per
   second with wrk (32 connections), the sizes taking turns in rounds, so a
   busy machine slows both alike. Prints each page's cost at 1,000,000 as a
   multiple of its cost at 10,000 (goal: at most 1.2; no page cost grows with
   history).
2. With PostgreSQL (POJO_BENCH_DATABASE_URL; the bench (re)creates schemas
   bench_10000 and bench_1000000 in it, leaving others alone), on the
   1,000,000-entry schema: gunicorn with 4 workers, 32 concurrent API clients redeeming
   one hot reward, then spread over all 200: redemptions per second.
3. `flask --app pojo ledger verify` on every database the bench filled, after all
   parts: a bench's data must be valid data (exit status 1 when it is not).

Without POJO_BENCH_DATABASE_URL, part 1 runs on SQLite files and part 2 is skipped.
The request path every page shares (a bare route, a minimal logged-in page, the board,
the wallet, the API) is `bench_request_path.py`.

    .venv/bin/python bench/bench_market.py            # the full run
    .venv/bin/python bench/bench_market.py --quick    # a smoke test: small sizes, short runs

Bulk rows go in with Core executemany: ledger entries in time order with their award or
redemption rows, and balances equal to their sums; nobody's balance is ever below zero. The
rewards open before the first entry, and each bulk redemption pays the price engine's price
at its moment and records what a live one does (`pojo.market.redemptions.redeem`): its
price state and its price tick, so the history replays (`pojo.market.replay`).
"""

import argparse
import os
import random
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
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import bindparam, create_engine, text  # noqa: E402

from bench.serving import Gunicorn, alternating, check_page, login_cookie  # noqa: E402
from pojo import create_app  # noqa: E402
from pojo.api.tokens import create_token  # noqa: E402
from pojo.awards.models import Award, Criterion  # noqa: E402
from pojo.awards.service import award  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.ledger.models import Balance, LedgerEntry  # noqa: E402
from pojo.market import catalogue, demand, pricing  # noqa: E402
from pojo.market.models import (  # noqa: E402
    PRICE_SETTINGS,
    PriceState,
    PriceTick,
    Redemption,
    Reward,
    SavingsGoal,
)
from pojo.people.models import Employee  # noqa: E402
from pojo.people.service import create_employee, get_employee  # noqa: E402
from pojo.unit_of_work import unit_of_work  # noqa: E402

PASSWORD = "bench password 1"
RECENT_DAYS = 60
HISTORY_YEARS = 6
HISTORY = timedelta(days=365 * HISTORY_YEARS)
CHUNK = 20_000
TOP_UP_MARGIN = 100
PAGES = ("/market", "/wallet")


# -- filling -----------------------------------------------------------------


def schema_url(base: str, schema: str) -> str:
    """`base` with every connection's search_path set to `schema`."""
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def sized_url(base: str | None, workdir: Path, entries: int) -> str:
    """A database per size: a SQLite file, or a PostgreSQL schema of its own."""
    if base is None:
        return f"sqlite:///{workdir / f'market-{entries}.sqlite3'}"
    return schema_url(base, f"bench_{entries}")


def reset(url: str) -> None:
    if url.startswith("postgresql"):
        schema = url.rsplit("%3D", 1)[1]
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()


def make_people_and_rewards(employees: int, rewards: int, start: datetime) -> list[Reward]:
    """Employees (one with a password, for the pages), an HR user, and the rewards, open at `start`."""
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
            at=start,
            name_en=f"Reward {number}",
            name_fi=f"Palkinto {number}",
            category=random.choice(["experience", "item", "wellbeing", "time_off"]),
            base_price=base,
            expected_per_30d=random.randint(1, 6),
        )
        made.append(reward)
    return made


class Market:
    """Each reward's price engine state, in memory while the history is filled in time order."""

    def __init__(self, rewards: list[Reward]):
        self.rewards = rewards
        self.settings = {reward.id: demand.settings_of(reward) for reward in rewards}
        self.states = {reward.id: demand.state_of(reward) for reward in rewards}
        self.reward_ids = sorted(self.states)

    def redeem(self, reward_id: int, at: datetime) -> dict:
        """A redemption at `at`: its `PriceState` row, as `demand.record_redemption` writes it.

        Its `price_before` is the price the redemption pays.
        """
        settings, state = self.settings[reward_id], self.states[reward_id]
        before = pricing.price(settings, state, max(at, state.at))
        state = self.states[reward_id] = pricing.redeemed(settings, state, at)
        return {
            "reward_id": reward_id, "at": state.at, "cause": "redeemed",
            **{column: getattr(settings, name) for name, column in PRICE_SETTINGS.items()},
            "demand": state.demand, "price_cap": state.cap,
            "price_before": before, "price_after": pricing.price(settings, state, state.at),
        }  # fmt: skip

    def close(self) -> None:
        """Each reward row takes its last state, as the live market keeps it."""
        for reward in self.rewards:
            state = self.states[reward.id]
            reward.demand, reward.demand_at, reward.price_cap = state.demand, state.at, state.cap


def entry_rows(count: int, begin: datetime, end: datetime, employee_ids, market, rng, running):
    """`count` entries evenly spread in time: outcome points, and ~10 % redemptions.

    Each yields (employee, points, kind, at, price state); a redemption's price state is its
    `Market.redeem` row, None for other entries. `running` holds each employee's balance so
    far. Nobody redeems more than they hold: a redemption the balance does not cover is
    preceded, at the same moment, by the points it needs (an extra entry that draws nothing
    from `rng`, so the redemptions and their times are the same whatever history came before;
    only their prices follow it).
    """
    step = (end - begin) / max(count, 1)
    for index in range(count):
        at = begin + step * index
        employee = rng.choice(employee_ids)
        if rng.random() < 0.1:
            state = market.redeem(rng.choice(market.reward_ids), at)
            price = state["price_before"]
            if running[employee] < price:
                top_up = price - running[employee] + TOP_UP_MARGIN
                running[employee] += top_up
                yield employee, top_up, "outcome", at, None
            running[employee] -= price
            yield employee, -price, "redemption", at, state
        else:
            points = rng.randint(20, 60)
            running[employee] += points
            yield employee, points, "outcome", at, None


def fill_ledger(entries: int, employee_ids, market: Market, now: datetime) -> None:
    """Bulk-insert entries (oldest first, so ids follow time), redemptions and balances.

    Each redemption comes with its price state and tick; each reward row ends with its last state.
    """
    recent = min(8_000, int(entries * 0.8))
    history_start = now - HISTORY
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
            market,
            random.Random(1),
            running,
        ),
        entry_rows(
            recent,
            recent_start,
            now - timedelta(minutes=5),
            employee_ids,
            market,
            random.Random(2),
            running,
        ),
    ]
    entry_id = redemption_id = 0
    state_id = db.session.scalar(db.select(db.func.max(PriceState.id))) or 0
    tick_id = db.session.scalar(db.select(db.func.max(PriceTick.id))) or 0
    batch, redemptions, awards, states, ticks = [], [], [], [], []
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
        for table, rows in (
            (LedgerEntry, batch), (Redemption, redemptions), (Award, awards),
            (PriceState, states), (PriceTick, ticks),
        ):  # fmt: skip
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
        for employee, points, kind, at, state in stream:
            entry_id += 1
            sums[employee] += points
            row = {
                "id": entry_id, "employee_id": employee, "points": points, "kind": kind,
                "at": at, "created_at": at, "actor_id": None, "note": None,
                "reference": None, "reverses_id": None,
            }  # fmt: skip
            if state is not None:
                redemption_id += 1
                state_id += 1
                tick_id += 1
                row["reference"] = f"redemption:{redemption_id}"
                pending = at > now - timedelta(days=3)
                redemptions.append({
                    "id": redemption_id, "employee_id": employee, "reward_id": state["reward_id"],
                    "price_paid": -points, "max_price": -points,
                    "status": "pending" if pending else "fulfilled", "created_at": at,
                    "decided_at": None if pending else at, "decided_by_id": None,
                    "decision_note": None, "entry_id": entry_id, "refund_entry_id": None,
                    "request_id": None,
                })  # fmt: skip
                states.append({**state, "id": state_id, "redemption_id": redemption_id})
                ticks.append({
                    "id": tick_id, "reward_id": state["reward_id"], "at": at,
                    "price": state["price_after"], "period_start": None,
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
    market.close()


def fill(url: str, employees: int, rewards: int, entries: int) -> None:
    random.seed(7)
    reset(url)
    now = datetime.now(UTC)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with unit_of_work():
            made = make_people_and_rewards(employees, rewards, now - HISTORY)
            employee_ids = list(db.session.scalars(db.select(Employee.id).order_by(Employee.id)))
            fill_ledger(entries, employee_ids, Market(made), now)
            agent = get_employee("bench.agent")
            goal = made[0]
            db.session.add(
                SavingsGoal(
                    employee_id=agent.id,
                    reward_id=goal.id,
                    reference_price=demand.price_now(goal, now),
                    created_at=now,
                )
            )
        with unit_of_work():
            if db.engine.dialect.name == "postgresql":
                tables = ("ledger_entries", "redemptions", "awards", "price_states", "price_ticks")
                for table in tables:
                    db.session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                        )
                    )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        db.session.remove()
        db.engine.dispose()


# -- part 1: page cost against history --------------------------------------


def page_rates(urls: dict[int, str], args) -> dict:
    """Each page's median requests/s per size, with wrk; sizes and pages take turns in rounds."""
    for entries, url in urls.items():
        began = time.perf_counter()
        fill(url, args.employees, args.rewards, entries)
        print(f"  filled {entries:,} entries in {time.perf_counter() - began:.1f} s")
    servers = {entries: Gunicorn("wsgi:app", url, probe="/login") for entries, url in urls.items()}
    try:
        targets = {}
        for entries, server in servers.items():
            cookie = {"Cookie": login_cookie(server.base, "bench.agent", PASSWORD)}
            for page in PAGES:
                targets[entries, page] = (server.base + page, cookie)
                check_page(server.base + page, cookie)
        alternating(targets, 1, 1)  # warm-up: every worker draws its caches once
        figures = alternating(targets, args.rounds, args.seconds)
        for url, headers in targets.values():
            check_page(url, headers)  # still logged in: no round measured redirects
    finally:
        for server in servers.values():
            server.stop()
    results = {key: statistics.median(found) for key, found in figures.items()}
    for (entries, page), rate in results.items():
        print(f"  {page:8} {rate:8.0f} req/s at {entries:,} entries")
    return results


# -- part 2: redemptions per second ---------------------------------------------


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and short runs (smoke test)"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    args.employees, args.rewards = (200, 40) if args.quick else (2_000, 200)
    small, big = (2_000, 50_000) if args.quick else (10_000, 1_000_000)
    args.rounds, args.seconds = (2, 3) if args.quick else (5, 5)
    seconds = 3 if args.quick else 20
    pg = os.environ.get("POJO_BENCH_DATABASE_URL")
    workdir = Path(tempfile.mkdtemp(prefix="pojo-bench-"))
    urls = {entries: sized_url(pg, workdir, entries) for entries in (small, big)}
    backend = "PostgreSQL" if pg else "SQLite"
    print(
        f"Part 1: page cost against history, {args.employees:,} employees, {args.rewards} rewards,"
        f" {backend}, gunicorn 4 workers, wrk 32 connections, median of {args.rounds} rounds"
        f" x {args.seconds} s"
    )
    rates = page_rates(urls, args)
    for page in PAGES:
        # Cost is time per request: the inverse of requests per second.
        if not rates[big, page]:
            print(f"RATIO {page} cost at {big:,} / {small:,} entries: n/a (nothing was served)")
            continue
        ratio = rates[small, page] / rates[big, page]
        print(f"RATIO {page} cost at {big:,} / {small:,} entries: {ratio:.2f}  (goal <= 1.2)")
    if pg:
        print(f"Part 2: redemptions per second, gunicorn 4 workers, 32 clients, {seconds} s each")
        redemption_rate(urls[big], 32, seconds)
    else:
        print("Part 2 skipped: set POJO_BENCH_DATABASE_URL to a scratch PostgreSQL database.")
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
