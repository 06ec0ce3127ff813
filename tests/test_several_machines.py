"""Several machines on one database: nothing that must be shared is kept in one process.

Two gunicorn instances on their own ports serve one PostgreSQL database, as two
machines behind a load balancer would: what one does, the other sees at once.
Two `flask --app pojo scheduler` processes share the jobs: one leads, and when it
is killed the other takes over, running no (job, period) a second time.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from pojo.api.tokens import create_token
from pojo.extensions import db
from pojo.jobs.models import JobRun
from pojo.ledger.models import LedgerEntry
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD
from tests.market_helpers import add_reward, give_points

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTS = (5140, 5141)  # this test's own ports
WAIT_SECONDS = 30
LOGIN_LIMIT = 3


def _environment(url: str, **extra) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY="several-machines-secret",  # every machine has the same key
        POJO_SCHEDULER="",
        PYTHONUNBUFFERED="1",
        **extra,
    )


def _until(condition, what: str, seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def _stop(started: list[subprocess.Popen]) -> None:
    # Each started in a process group of its own: gunicorn's workers go with their master.
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    for process in started:
        process.wait(timeout=30)


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    _stop(started)


class Instance:
    """One gunicorn serving wsgi:app, as one machine would."""

    def __init__(self, processes: list, url: str, port: int):
        self.base = f"http://127.0.0.1:{port}"
        environment = _environment(url, POJO_LOGIN_MAX_FAILURES=str(LOGIN_LIMIT))
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{port}",
                    "--chdir",
                    str(ROOT),
                    "--log-level",
                    "warning",
                    "wsgi:app",
                ],
                env=environment,
                start_new_session=True,
            )  # fmt: skip
        )

    def answers(self) -> bool:
        try:
            return requests.get(self.base + "/login", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def login(self, session: requests.Session, username: str, password: str) -> int:
        page = session.get(self.base + "/login", timeout=10).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return session.post(
            self.base + "/login",
            data={"username": username, "password": password, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        ).status_code


@pytest.fixture(scope="module")
def instances(databases):
    """Two machines on the PostgreSQL test database, started once for this module's tests
    (each test's `app` empties and seeds the database under them)."""
    if "postgresql" not in databases:
        pytest.skip("several machines share one PostgreSQL database")
    started: list[subprocess.Popen] = []
    try:
        pair = tuple(Instance(started, databases["postgresql"].url, port) for port in PORTS)
        for instance in pair:
            _until(instance.answers, f"gunicorn answering on {instance.base}")
        yield pair
    finally:
        _stop(started)


@pytest.fixture
def two_instances(backend, instances):
    if backend != "postgresql":
        pytest.skip("several machines share one PostgreSQL database")
    return instances


def _api(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}


def test_a_redemption_on_one_shows_on_the_others_board_and_its_retry_replays_there(
    app, make_employee, two_instances
):
    agent = make_employee("aino")
    give_points(app, agent, 1000)
    reward_id = add_reward(app, stock=5)
    with app.app_context(), unit_of_work():
        _, token = create_token(agent)
    first, second = two_instances

    def board(instance):
        rows = requests.get(instance.base + "/api/v1/rewards", headers=_api(token), timeout=10)
        return {row["id"]: row for row in rows.json()}[reward_id]

    before = board(second)  # the second machine has drawn its board already
    assert before["stock_left"] == 5
    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"reward": reward_id, "max_price": before["price"]}
    made = requests.post(
        first.base + "/api/v1/redemptions", json=body, headers=_api(token, **key), timeout=10
    )
    assert made.status_code == 201, made.text
    assert board(second)["stock_left"] == 4
    assert board(second)["price"] == board(first)["price"]

    retried = requests.post(
        second.base + "/api/v1/redemptions", json=body, headers=_api(token, **key), timeout=10
    )
    assert (retried.status_code, retried.json()) == (201, made.json())
    assert board(first)["stock_left"] == 4
    with app.app_context():
        charges = db.session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.points < 0)
        )
    assert charges == 1


def test_failed_logins_on_either_machine_count_toward_one_limit(app, make_employee, two_instances):
    make_employee("aino")
    first, second = two_instances
    guesser = requests.Session()
    for instance in (first,) * (LOGIN_LIMIT - 1) + (second,):
        assert instance.login(guesser, "aino", "wrong password") == 200
    # Each machine saw fewer failures than the limit; together they reached it.
    assert second.login(requests.Session(), "aino", PASSWORD) == 429
    assert first.login(requests.Session(), "aino", PASSWORD) == 429


def test_a_session_begun_on_one_machine_is_valid_on_the_other(app, make_employee, two_instances):
    make_employee("aino")
    first, second = two_instances
    browser = requests.Session()
    assert first.login(browser, "aino", PASSWORD) == 302
    wallet = browser.get(second.base + "/wallet", allow_redirects=False, timeout=10)
    assert wallet.status_code == 200


class Scheduler:
    """One `flask --app pojo scheduler` process and what it has printed so far."""

    def __init__(self, processes: list, url: str):
        self.process = subprocess.Popen(
            [str(BIN / "flask"), "--app", "pojo", "scheduler"],
            cwd=ROOT,
            env=_environment(url, POJO_SCHEDULER_RETRY_SECONDS="1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        processes.append(self.process)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def said(self, start: str) -> list[str]:
        return [line for line in list(self.lines) if line.startswith(start)]


def _runs(app) -> dict[tuple[str, str], object]:
    with app.app_context():
        rows = db.session.execute(select(JobRun.job, JobRun.period, JobRun.started_at)).all()
    return {(job, period): started for job, period, started in rows}


def test_of_two_schedulers_one_runs_the_jobs_and_the_other_takes_over_when_it_dies(
    app, processes, databases, backend
):
    from pojo.features import installed

    jobs = len(installed(app).jobs)
    url = databases[backend].url
    schedulers = [Scheduler(processes, url) for _ in range(2)]
    _until(lambda: any(len(s.said("job ")) == jobs for s in schedulers), "one running every job")
    leader = next(s for s in schedulers if s.said("Leading"))
    follower = next(s for s in schedulers if s is not leader)
    _until(lambda: follower.said("Waiting"), "the other scheduler waiting")
    time.sleep(2)  # two of its retries: the follower still runs nothing
    assert follower.said("job ") == [] and follower.said("Leading") == []
    assert leader.said("Waiting") == []
    ran = _runs(app)
    assert len(ran) == jobs

    leader.process.send_signal(signal.SIGKILL)
    _until(lambda: follower.said("Leading"), "the second scheduler taking over", seconds=15)
    _until(lambda: len(follower.said("job ")) == jobs, "the new leader trying every job")
    after = _runs(app)
    # Each period the killed leader ran is claimed: the new leader ran none of them again.
    assert {key: after[key] for key in ran} == ran
    again = [line for line in follower.said("job ") if not line.endswith("period already ran")]
    assert len(again) == len(after) - len(ran)  # only a period begun since then, if any


def test_behind_a_proxy_the_throttle_counts_the_forwarded_client_address(make_app, make_employee):
    app = make_app(PROXY_HOPS=1)
    make_employee("aino")
    client = app.test_client()

    def login(password: str, client_address: str) -> int:
        return client.post(
            "/login",
            data={"username": "aino", "password": password},
            environ_base={"REMOTE_ADDR": "10.0.0.250"},  # the proxy, for every request
            headers={"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https"},
        ).status_code

    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login("guess", "203.0.113.9") == 200
    assert login(PASSWORD, "203.0.113.9") == 429
    # The owner, elsewhere behind the same proxy, is not locked out by the guesser.
    assert login(PASSWORD, "198.51.100.7") == 302


def test_a_leader_whose_database_session_ends_steps_down_and_one_scheduler_leads(
    app, processes, databases, backend
):
    if backend != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    from sqlalchemy import text

    from pojo.jobs.leader import LOCK_KEY

    url = databases[backend].url
    schedulers = [Scheduler(processes, url) for _ in range(2)]
    _until(lambda: sum(bool(s.said("Leading")) for s in schedulers) == 1, "one leading")
    _until(lambda: all(s.said("Leading") or s.said("Waiting") for s in schedulers), "both up")
    leader = next(s for s in schedulers if s.said("Leading"))
    holder = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND granted"
    with app.app_context():
        db.session.execute(
            text(f"SELECT pg_terminate_backend(pid) FROM ({holder}) AS held"), {"key": LOCK_KEY}
        )
        db.session.commit()
    _until(lambda: leader.said("Lost the leader lock"), "the leader stepping down")
    # Whoever takes the lock next leads alone: two "Leading" lines in all, one process each time.
    _until(lambda: sum(len(s.said("Leading")) for s in schedulers) == 2, "a new leader")
    time.sleep(1)  # a retry later, still one
    assert sum(len(s.said("Leading")) for s in schedulers) == 2
    with app.app_context():
        held = db.session.execute(text(holder), {"key": LOCK_KEY}).all()
    assert len(held) == 1
