"""The load-and-faults bench's short mode: no point lost or doubled while workers die.

bench/load_faults.py --short runs 32 clients for about 20 s against 4 gunicorn workers,
SIGKILLs a worker every few seconds and drops every database connection once, then checks
the ledger against every answer the clients got. It needs a PostgreSQL database of its own
(it drops its schema), made here beside the test database once and kept: dropping a
database waits for a checkpoint, which took most of a minute on a busy machine.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from pojo.people.models import Employee
from pojo.people.service import get_employee
from pojo.rows import lock_row
from pojo.unit_of_work import unit_of_work
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parent.parent
PORT = 5171


@pytest.fixture
def own_database():
    if not PG_URL:
        pytest.skip("the load-and-faults run needs PostgreSQL (POJO_TEST_DATABASE_URL)")
    url = make_url(PG_URL)
    name = f"{url.database}_load_faults"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def test_killed_workers_and_dropped_connections_lose_or_double_no_points(own_database):
    done = subprocess.run(
        [sys.executable, "bench/load_faults.py", "--short", "--port", str(PORT),
         "--database-url", own_database],
        cwd=ROOT, capture_output=True, text=True, timeout=170,
    )  # fmt: skip
    out = done.stdout
    assert done.returncode == 0, out + done.stderr[-3000:]
    assert "result: all checks passed" in out
    assert "500 answers: 0;" in out
    assert int(re.search(r"workers killed: (\d+)", out).group(1)) >= 3
    assert int(re.search(r"connections dropped: (\d+)", out).group(1)) >= 1
    # Each kind of request was served, and some were refused: both halves were checked.
    for kind in ("award", "outcome", "redemption", "take"):
        line = re.search(rf"^  {kind} +(.*)$", out, re.M).group(1)
        assert re.search(r"\b20[01]: [1-9]", line), line
    assert re.search(r"redemption .*409: [1-9]", out), "the one-unit reward was never refused"
    assert int(re.search(r"entries checked: (\d+)", out).group(1)) > 0


def test_a_locked_employee_row_still_lets_an_entry_for_that_employee_be_written(
    app, backend, make_employee
):
    """What the load run found: a swap take locks its taker's row, then waits for the taker's
    balance; an award holding that balance writes an entry whose foreign key checks the
    employee row. With FOR UPDATE the two waited for each other (a deadlock, a 503)."""
    if backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every transaction")
    taker = make_employee()
    other = create_engine(PG_URL, poolclass=NullPool)
    with app.app_context(), unit_of_work():
        locked = lock_row(Employee, get_employee(taker).id)
        with other.connect() as connection:
            # The lock a foreign key check takes (the entry's employee_id) is not blocked ...
            connection.execute(
                text("SELECT 1 FROM employees WHERE id = :id FOR KEY SHARE NOWAIT"),
                {"id": locked.id},
            )
            connection.rollback()
            # ... while a second writer of the row still is.
            with pytest.raises(OperationalError, match="could not obtain lock"):
                connection.execute(
                    text("SELECT 1 FROM employees WHERE id = :id FOR NO KEY UPDATE NOWAIT"),
                    {"id": locked.id},
                )
    other.dispose()
