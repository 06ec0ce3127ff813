"""Long history uploads apply in the background; the page polls their progress from the database."""

import time
from datetime import timedelta

from pojo.database import utcnow
from pojo.extensions import db
from pojo.history.models import ImportRun
from pojo.ledger.models import LedgerEntry
from tests.test_history_import import at, balance, counts, history, upload

ROWS = 12


def _rows(name="aino", points=10):
    return [f"{name},{at(1 + i % 20)},award,{points},,row {i}" for i in range(ROWS)]


def _wait(client, location, timeout=30.0):
    """Poll the progress endpoint as the page's script does, until the run stops applying."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(location + "/progress")
        assert response.status_code == 200
        state = response.get_json()
        seen.append(state)
        if state["status"] != "applying":
            return state, seen
        time.sleep(0.05)
    raise AssertionError(f"still applying after {timeout} s: {seen[-1]}")


def _hr(app, client_as, make_employee):
    app.config["HISTORY_BACKGROUND_ROWS"] = 5
    make_employee("aino")
    return client_as("hr", team="Office")


def test_a_long_apply_returns_at_once_and_the_page_follows_it_to_the_result(
    app, client_as, make_employee
):
    hr = _hr(app, client_as, make_employee)
    location = upload(hr, history(*_rows())).location
    applied = hr.post(location + "/apply")
    assert applied.status_code == 302 and applied.location.endswith(location)
    state, seen = _wait(hr, location)
    assert state == {
        "status": "done",
        "stage": "done",
        "done": ROWS,
        "total": ROWS,
        "message": None,
    }
    assert seen[0]["total"] == ROWS
    assert balance(app, "aino") == 10 * ROWS
    assert counts(app)[0] == ROWS
    page = hr.get(location).get_data(as_text=True)
    assert "is applied" in page and f"{ROWS} rows" in page
    # The same file again is refused as before.
    again = upload(hr, history(*_rows())).location
    assert "already imported" in hr.get(again).get_data(as_text=True)


def test_while_applying_the_page_shows_a_progress_bar_and_refuses_a_second_apply(
    app, client_as, make_employee
):
    hr = _hr(app, client_as, make_employee)
    location = upload(hr, history(*_rows())).location
    upload_id = int(location.rsplit("/", 1)[1])
    with app.app_context():
        # A run someone else started a moment ago (its thread is elsewhere).
        from pojo.history.models import HistoryImport

        found = db.session.get(HistoryImport, upload_id)
        now = utcnow()
        db.session.add(
            ImportRun(
                import_id=found.id,
                token="x" * 32,
                status="applying",
                stage="write",
                done=3,
                total=ROWS,
                started_at=now,
                updated_at=now,
            )
        )
        db.session.commit()
    page = hr.get(location).get_data(as_text=True)
    assert "<progress" in page and 'value="3"' in page and "import_progress.js" in page
    assert 'http-equiv="refresh"' in page  # without the script, the page refreshes itself
    assert hr.post(location + "/apply").status_code == 422
    assert counts(app)[0] == 0


def test_a_stale_run_can_be_applied_again_and_writes_once(app, client_as, make_employee):
    hr = _hr(app, client_as, make_employee)
    location = upload(hr, history(*_rows())).location
    upload_id = int(location.rsplit("/", 1)[1])
    long_ago = utcnow() - timedelta(hours=1)
    with app.app_context():
        db.session.add(
            ImportRun(
                import_id=upload_id,
                token="y" * 32,
                status="applying",
                stage="write",
                done=0,
                total=ROWS,
                started_at=long_ago,
                updated_at=long_ago,
            )
        )
        db.session.commit()
    assert hr.get(location + "/progress").get_json()["status"] == "stale"
    assert "stopped before it finished" in hr.get(location).get_data(as_text=True)
    assert hr.post(location + "/apply").status_code == 302
    state, _seen = _wait(hr, location)
    assert state["status"] == "done" and balance(app, "aino") == 10 * ROWS
    assert hr.post(location + "/apply").status_code == 409  # applied: never twice
    assert counts(app)[0] == ROWS


def test_a_failing_apply_writes_nothing_and_says_why(app, client_as, make_employee):
    hr = _hr(app, client_as, make_employee)
    rows = _rows()
    location = upload(hr, history(*rows)).location
    # The file kept for the apply no longer fits today's balances (say, spent meanwhile).
    with app.app_context():
        from pojo.history.models import HistoryImport

        found = db.session.get(HistoryImport, int(location.rsplit("/", 1)[1]))
        found.content = history(*rows, f"aino,{at(25)},redemption,100000,Mug,").decode()
        db.session.commit()
    assert hr.post(location + "/apply").status_code == 302
    state, _seen = _wait(hr, location)
    assert state["status"] == "failed" and state["message"]
    assert counts(app)[0] == 0 and balance(app, "aino") == 0
    page = hr.get(location).get_data(as_text=True)
    assert "nothing of it was applied" in page


def test_small_uploads_still_apply_within_the_request(app, client_as, make_employee):
    hr = _hr(app, client_as, make_employee)
    location = upload(hr, history(*_rows()[:4])).location
    assert hr.post(location + "/apply").status_code == 302
    assert balance(app, "aino") == 40  # at once
    assert hr.get(location + "/progress").get_json()["status"] == "done"


def test_progress_is_for_hr_and_admin_and_bad_ids_are_404(app, client_as, make_employee):
    hr = _hr(app, client_as, make_employee)
    location = upload(hr, history(*_rows()[:2])).location
    for role in ("agent", "supervisor"):
        assert client_as(role).get(location + "/progress").status_code == 403
    other_hr = client_as("hr", team="Office")
    assert other_hr.get(location + "/progress").get_json()["status"] == "idle"
    assert client_as("admin", team="Office").get(location + "/progress").status_code == 200
    for bad in ("999999", "2147483648", "99999999999999999999", "-1", "abc"):
        response = hr.get(f"/import/{bad}/progress")
        assert response.status_code == 404, bad
    body = hr.get("/import/999999/progress").get_json()
    assert body["error"]["code"] == "not_found"
    with app.app_context():
        assert db.session.query(LedgerEntry).count() == 0


def test_the_page_sees_the_bar_fill_while_the_apply_is_still_open(
    app, client_as, make_employee, monkeypatch
):
    """What another worker's poll sees mid-apply, on both databases: the rows written so far,
    chunk by chunk, while nothing of the file is committed yet."""
    from pojo.history import background
    from pojo.ledger import copying

    hr = _hr(app, client_as, make_employee)
    location = upload(hr, history(*_rows(), f"aino,{at(25)},redemption,30,Mug,")).location
    monkeypatch.setattr(copying, "CHUNK_ROWS", 3)
    seen = []
    original = background.report

    def polled(import_id, token, stage, done, total):
        original(import_id, token, stage, done, total)
        # The page's poll, in an app context, session and connection of its own (as another
        # worker's; a request would otherwise share the apply thread's app context and session).
        with app.app_context():
            state = hr.get(location + "/progress").get_json()
        other = db.engine.raw_connection()
        try:
            cursor = other.cursor()
            cursor.execute("SELECT count(*) FROM ledger_entries")
            committed = cursor.fetchone()[0]
        finally:
            other.close()
        seen.append((state["status"], state["stage"], state["done"], state["total"], committed))

    monkeypatch.setattr(background, "report", polled)
    hr.post(location + "/apply")
    state, _seen = _wait(hr, location)
    assert state["status"] == "done" and counts(app)[0] == ROWS + 1
    writing = [done for _s, stage, done, _t, _c in seen if stage == "write"]
    assert writing == [0, 3, 6, 9, 12, 13]  # every chunk of 3 rows, in order
    assert {total for _s, stage, _d, total, _c in seen if stage == "write"} == {ROWS + 1}
    assert ("applying", "redemptions", 1, 1, 0) in seen
    assert len({(stage, done) for _s, stage, done, _t, _c in seen}) > 3
    assert all(status == "applying" and committed == 0 for status, *_r, committed in seen)
