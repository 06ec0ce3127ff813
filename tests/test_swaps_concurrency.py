"""Two takes of one open swap at the same moment: one covers it, nothing happens twice.

Each client is a thread with its own test client (so its own application
context, session and connection), released together by a barrier. The
planner's checks inside `take` are slowed down, so whoever gets the swap's
lock first still holds it when the other request arrives: the two requests
really overlap, and the second has to wait for the lock (or, with the same
Idempotency-Key on PostgreSQL, finds the key held).
"""

import threading
import time

import pytest
from sqlalchemy import select

from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.ledger.verify import run_checks
from pojo.swaps import service
from pojo.swaps.models import Swap
from tests.market_helpers import give_points
from tests.test_api import api_client, token_for
from tests.test_swaps import _swap_id, owner_of, shift_for, team  # noqa: F401 (the fixture)

HOLD = 0.3  # seconds the first take holds the swap's lock


@pytest.fixture
def slow_checks(monkeypatch):
    """Keep the swap locked a while inside `take`, after its status was read."""
    check_fit = service._check_fit

    def slow(*args, **kwargs):
        time.sleep(HOLD)
        return check_fit(*args, **kwargs)

    monkeypatch.setattr(service, "_check_fit", slow)


def take_together(app, takes):
    """POST each take, (swap id, token, Idempotency-Key or None), at once.

    Returns (status, body, started, ended) per caller, in order.
    """
    # A token's first use writes its last_used_at, holding the token's row to the end of that
    # request and queueing the other requests on it. A client that retries has used its token
    # already: use each once beforehand, so only the swap's own locks keep the takes apart.
    for token in {token for _swap, token, _key in takes}:
        warm = app.test_client().get("/api/v1/shifts", headers={"Authorization": f"Bearer {token}"})
        assert warm.status_code == 200
    barrier = threading.Barrier(len(takes))
    results = [None] * len(takes)

    def client(index, swap_id, token, key):
        headers = {"Authorization": f"Bearer {token}"}
        if key:
            headers["Idempotency-Key"] = key
        http = app.test_client()
        barrier.wait()
        started = time.monotonic()
        response = http.post(f"/api/v1/swaps/{swap_id}/take", headers=headers)
        results[index] = (response.status_code, response.get_json(), started, time.monotonic())

    threads = [
        threading.Thread(target=client, args=(index, *take)) for index, take in enumerate(takes)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(results), "a client did not finish"
    # The requests overlapped: each began before any of them had ended.
    assert max(r[2] for r in results) < min(r[3] for r in results), results
    return results


def cover_entries(app) -> list[tuple[int, int]]:
    with app.app_context():
        return list(
            db.session.execute(
                select(LedgerEntry.employee_id, LedgerEntry.points).where(
                    LedgerEntry.kind == "cover"
                )
            ).tuples()
        )


def assert_ledger_sound(app):
    with app.app_context():
        broken = [result for result in run_checks() if result.violations]
    assert not broken, broken


def test_two_colleagues_taking_one_swap_at_once_exactly_one_covers_it(app, team, slow_checks):  # noqa: F811
    swap = _swap_id(app, team)
    names = [team["taker"], team["other"]]
    results = take_together(app, [(swap, token_for(app, name), None) for name in names])

    outcomes = sorted(
        (status, body.get("status") or body["error"]["code"]) for status, body, *_ in results
    )
    assert outcomes == [(200, "covered"), (409, "already_taken")], results
    winner = names[[status for status, *_ in results].index(200)]
    assert owner_of(app, team["shift"]) == winner
    with app.app_context():
        done = db.session.get(Swap, swap)
        assert (done.status, done.taken_by.username) == ("covered", winner)
        assert done.cover_entry.employee.username == winner
    covers = cover_entries(app)
    assert len(covers) == 1, covers
    assert_ledger_sound(app)


def test_one_take_sent_twice_with_one_key_at_once_covers_once(app, backend, team, slow_checks):  # noqa: F811
    swap = _swap_id(app, team)
    token = token_for(app, team["taker"])
    results = take_together(app, [(swap, token, "take-once")] * 2)

    covered = [body for status, body, *_ in results if status == 200]
    assert covered and all(body == covered[0] for body in covered), results
    assert covered[0]["status"] == "covered"
    # PostgreSQL refuses a duplicate while the first still holds the key; SQLite queues it
    # behind the first's write lock and replays the first's response. Never already_taken:
    # that would mean the retry ran the take a second time.
    refused = [(status, body["error"]["code"]) for status, body, *_ in results if status != 200]
    assert refused in ([], [(409, "idempotency_key_in_use")]), results
    if backend == "sqlite":
        assert len(covered) == 2, results

    assert owner_of(app, team["shift"]) == team["taker"]
    assert len(cover_entries(app)) == 1
    assert_ledger_sound(app)

    # A retry after both have finished replays the first response and still covers once.
    again = app.test_client().post(
        f"/api/v1/swaps/{swap}/take",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "take-once"},
    )
    assert (again.status_code, again.get_json()) == (200, covered[0])
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(cover_entries(app)) == 1


def test_one_colleague_taking_two_overlapping_swaps_at_once_gets_one(app, team, slow_checks):  # noqa: F811
    first = _swap_id(app, team)
    give_points(app, team["other"], 1000)
    overlapping = shift_for(app, team["other"], starts=4)
    made = api_client(app, team["other"]).post(
        "/api/v1/redemptions",
        json={"reward": team["reward"], "max_price": 1000, "shift": overlapping},
    )
    assert made.status_code == 201, made.get_json()
    with app.app_context():
        second = db.session.scalar(select(Swap.id).where(Swap.shift_id == overlapping))
    token = token_for(app, team["taker"])
    taken = take_together(app, [(first, token, None), (second, token, None)])
    results = {
        swap_id: (status, body.get("status") or body["error"]["code"])
        for swap_id, (status, body, *_) in zip((first, second), taken, strict=True)
    }
    # The person's row is locked before the planner's checks: the second sees the first shift.
    assert sorted(results.values()) == [(200, "covered"), (422, "overlap")], results
    won = first if results[first][0] == 200 else second
    owners = {first: team["requester"], second: team["other"], won: team["taker"]}
    assert owner_of(app, team["shift"]) == owners[first]
    assert owner_of(app, overlapping) == owners[second]
    assert len(cover_entries(app)) == 1
    assert_ledger_sound(app)
