"""Load and faults: 32 clients on 4 gunicorn workers while workers are killed and connections drop.

    python bench/load_faults.py --database-url postgresql+psycopg://postgres@127.0.0.1/pojo_load
    python bench/load_faults.py --short      # ~20 s of load, what CI runs
    (or the URL in POJO_BENCH_DATABASE_URL; --port, default 5170; --kill-every, default 4 s)

The database is the bench's own: its schema is dropped and made again with `db upgrade`,
then seeded (bench/load_faults_data.py). gunicorn serves wsgi:app with 4 sync workers; 32
client threads send random awards (HR and supervisors, some outside their team or over the
budget), outcome posts, redemptions (a coffee, and a concert with one ticket) and swap
takes, each with its own Idempotency-Key, retried with the same key and body after a
connection error, a timeout, a 503 or a 409 `idempotency_key_in_use` until a final answer.
Meanwhile one worker is SIGKILLed every few seconds and, once, every connection to the
database is ended with pg_terminate_backend.

Afterwards `flask ledger verify` must pass, the concert must not be oversold, every 2xx
answer must have exactly its ledger entry (and idempotency record) and every refusal none,
no attempt may be a 500, and every request must reach its final answer within
`STUCK_SECONDS`. The exit status is 1 when any check fails.
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_faults_data import (  # noqa: E402
    Call,
    Seed,
    check,
    engine_for,
    ledger_verify,
    make_app,
    reset_schema,
    seed,
    upgrade,
)

WORKERS = 4
CLIENTS = 32
STUCK_SECONDS = 120  # a request still without a final answer after this is stuck
# One attempt's, as long as gunicorn lets a worker take: a shorter one gave up on requests
# still queued behind 32 clients on a busy machine, and each retry queued the work again.
TIMEOUT = 30


def bin_path(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def app_env(url: str) -> dict:
    return dict(os.environ, DATABASE_URL=url, SECRET_KEY="load-faults", POJO_SCHEDULER="")


def prepare(url: str):
    """The app (in this process) on an empty, migrated and seeded database."""
    reset_schema(url)
    os.environ.update(SECRET_KEY="load-faults", POJO_SCHEDULER="")
    app = make_app(url)
    upgrade(app)
    return app, seed(app)


class Server:
    def __init__(self, url: str, port: int, log: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [bin_path("gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--timeout", "30",
             "--chdir", str(ROOT), "--log-level", "critical", "wsgi:app"],
            env=app_env(url), stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(240):
            try:
                requests.get(self.base + "/login", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def plan(made: Seed, rng: random.Random) -> Call:
    """One random request: what, by whom, with a fresh Idempotency-Key."""
    key = uuid.uuid4().hex
    agents = sum(made.agents.values(), [])
    draw = rng.random()
    if draw < 0.3:
        caller = rng.choice([made.hr, *made.supervisors])
        body = {"employee": rng.choice(agents), "criterion": "fcr", "note": f"load {key}"}
        return Call("award", caller, key, body, "/api/v1/awards")
    if draw < 0.5:
        outcome = {"external_id": f"load-{key}", "employee": rng.choice(agents), "kind": "fcr",
                   "occurred_at": datetime.now(UTC).isoformat()}  # fmt: skip
        return Call("outcome", made.hr, key, {"outcomes": [outcome]}, "/api/v1/outcomes")
    if draw < 0.8:
        reward = made.rewards["concert" if rng.random() < 0.2 else "coffee"]
        body = {"reward": reward, "max_price": 10**6}
        return Call("redemption", rng.choice(agents), key, body, "/api/v1/redemptions")
    swap = rng.choice(made.swaps)
    return Call("take", rng.choice(agents), key, {}, f"/api/v1/swaps/{swap}/take")


def send(base: str, made: Seed, call: Call, session: requests.Session) -> None:
    """Attempts with the same key and body until a final answer (or STUCK_SECONDS)."""
    headers = {"Authorization": f"Bearer {made.tokens[call.caller]}", "Idempotency-Key": call.key}
    began = time.monotonic()
    while time.monotonic() - began < STUCK_SECONDS:
        try:
            answer = session.post(
                base + call.path, json=call.body, headers=headers, timeout=TIMEOUT
            )
        except requests.Timeout:
            call.attempts.append("timeout")
        except requests.RequestException:
            # Refused, reset, or cut off mid-answer (ChunkedEncodingError) by a killed worker.
            call.attempts.append("connection error")
            session.close()
        else:
            status = answer.status_code
            try:
                body = answer.json()
            except ValueError:  # every answer of the API is JSON, an error's too
                call.attempts.append(f"{status} not JSON")
                call.status, call.answer = status, {}
                break
            code = (body.get("error") or {}).get("code") if status >= 400 else None
            if status == 409 and code == "idempotency_key_in_use":
                call.attempts.append("409 key in use")
            else:
                call.attempts.append(str(status))
                if status != 503:
                    call.status, call.answer = status, body
                    break
        time.sleep(0.05 + random.random() * 0.2)
    call.seconds = time.monotonic() - began


def client(base: str, made: Seed, until: float, calls: list[Call], seed_: int) -> None:
    rng = random.Random(seed_)
    session = requests.Session()
    while time.monotonic() < until:
        call = plan(made, rng)
        calls.append(call)
        try:
            send(base, made, call, session)
        except Exception as error:  # the run fails: this call has no final answer
            call.attempts.append(f"client error {error!r}")
            return


def faults(server: Server, url: str, until: float, every: float, drop_at: float, log: dict) -> None:
    """SIGKILL a worker every `every` seconds; end every database connection once at `drop_at`."""
    next_kill = time.monotonic() + every
    seen: dict[int, float] = {}  # worker pid -> when first seen
    while time.monotonic() < until:
        now = time.monotonic()
        if not log["dropped"] and now >= drop_at:
            log["dropped"] = terminate_all(url)  # 0 while no worker is connected: try again
        for pid in server.workers():
            seen.setdefault(pid, now)
        if now >= next_kill:
            # The longest-serving worker: a fresh one still booting would serve nothing
            # (a boot takes seconds on a busy machine), and killing it would test nothing.
            alive = [pid for pid in server.workers() if pid in seen]
            if alive:
                os.kill(min(alive, key=seen.__getitem__), signal.SIGKILL)
                log["killed"] += 1
            next_kill = now + every
        time.sleep(0.1)


def terminate_all(url: str) -> int:
    from sqlalchemy import text

    with engine_for(url).begin() as connection:
        return len(
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     " WHERE datname = current_database() AND pid <> pg_backend_pid()")
            ).all()
        )  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("POJO_LOAD_DATABASE_URL")
        or os.environ.get("POJO_BENCH_DATABASE_URL"),
    )
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--short", action="store_true", help="20 s of load, for CI")
    parser.add_argument("--port", type=int, default=5170)
    parser.add_argument("--kill-every", type=float, default=4.0)
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("--database-url (or POJO_BENCH_DATABASE_URL): a scratch PostgreSQL database")
    duration = 20.0 if args.short else args.duration
    url = args.database_url

    began = time.monotonic()
    app, made = prepare(url)
    log_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"load_faults_{args.port}.log"
    server = Server(url, args.port, log_file)
    ready = time.monotonic()
    calls: list[Call] = []
    log = {"killed": 0, "dropped": None}
    try:
        started = time.monotonic()
        until = started + duration
        threads = [threading.Thread(target=client, args=(server.base, made, until, calls, n))
                   for n in range(CLIENTS)]  # fmt: skip
        threads.append(threading.Thread(
            target=faults, args=(server, url, until, args.kill_every, started + duration * 0.5, log)
        ))  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()

    problems, checked = check(url, made, calls)
    verified, verify_output = ledger_verify(app)
    if verified:
        problems.append("flask ledger verify failed:\n" + verify_output)
    attempts = Counter(a for c in calls for a in c.attempts)
    if any(a.startswith("5") and a != "503" for a in attempts):
        problems.append("a 5xx other than 503 was answered")
    if any(a.endswith("not JSON") for a in attempts):
        problems.append("an answer was not JSON: " + str([a for a in attempts if "JSON" in a]))
    for failed in {a for a in attempts if a.startswith("client error")}:
        problems.append(failed)
    stuck = [c for c in calls if c.status is None]
    if stuck:
        problems.append(f"{len(stuck)} requests got no final answer within {STUCK_SECONDS} s")

    served = [c for c in calls if c.status is not None]
    print(f"load and faults: {CLIENTS} clients, {WORKERS} workers, {duration:g} s on PostgreSQL")
    print(f"requests served: {len(served)} ({sum(map(len, (c.attempts for c in calls)))} attempts)")
    for kind in ("award", "outcome", "redemption", "take"):
        statuses = Counter(c.status for c in served if c.kind == kind)
        print(f"  {kind:<10} " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    retried = {
        a: n
        for a, n in attempts.items()
        if a in ("503", "409 key in use", "timeout", "connection error")
    }
    print("retried attempts: " + ", ".join(f"{a}: {n}" for a, n in sorted(retried.items())))
    print(f"500 answers: {attempts.get('500', 0)}; retried requests: "
          f"{sum(1 for c in calls if len(c.attempts) > 1)}")  # fmt: skip
    seconds = [c.seconds * 1000 for c in served]
    if len(seconds) >= 2:
        print(f"latency (first attempt to final answer): p50 {percentile(seconds, 0.5):.0f} ms, "
              f"p99 {percentile(seconds, 0.99):.0f} ms, max {max(seconds):.0f} ms")  # fmt: skip
    print(f"workers killed: {log['killed']}; connections dropped: {log['dropped']}")
    print(f"entries checked: {checked}; ledger verify: {'passed' if not verified else 'FAILED'}")
    for problem in problems[:40]:
        print("FAIL:", problem)
    print(f"set-up {ready - began:.0f} s, load {duration:g} s, whole run {time.monotonic() - began:.0f} s;"
          f" gunicorn's log: {log_file}")  # fmt: skip
    print("result:", "FAILED" if problems else "all checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
