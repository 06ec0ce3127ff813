"""API v1: bearer tokens, the contract's endpoints, statuses and error codes."""

import pytest
from sqlalchemy import func, select

from pojo.api.models import ApiToken
from pojo.api.tokens import create_token
from pojo.awards.models import Award
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work


def token_for(app, username) -> str:
    with app.app_context(), unit_of_work():
        _token, plain = create_token(username)
    return plain


def api_client(app, username):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token_for(app, username)}"
    return client


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def award_body(employee, criterion="fcr", note="Sorted a billing mess in one call"):
    return {"employee": employee, "criterion": criterion, "note": note}


# Tokens -------------------------------------------------------------------


def test_token_create_prints_token_once_and_stores_only_its_hash(app, runner, make_employee):
    make_employee("iris", role="hr", team="Office")
    result = runner.invoke(args=["token", "create", "iris"])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip().splitlines()[0]
    assert plain.startswith("pojo_")
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
        assert plain not in (stored.token_hash, stored.prefix)
        assert plain.startswith(stored.prefix) and len(stored.token_hash) == 64
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200 and response.get_json()["username"] == "iris"


def test_revoked_token_stops_working(app, runner, make_employee):
    make_employee("iris", role="hr", team="Office")
    plain = token_for(app, "iris")
    assert runner.invoke(args=["token", "revoke", plain[:12]]).exit_code == 0
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_token_revoke_all_of_a_user(app, runner, make_employee):
    make_employee("iris", role="hr", team="Office")
    plains = [token_for(app, "iris") for _ in range(2)]
    result = runner.invoke(args=["token", "revoke", "--user", "iris"])
    assert "Revoked 2" in result.output
    client = app.test_client()
    for plain in plains:
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code
            == 401
        )


def test_token_of_deactivated_employee_stops_working_at_once(app, make_employee):
    make_employee("iris", role="hr", team="Office")
    client = api_client(app, "iris")
    assert client.get("/api/v1/me").status_code == 200
    with app.app_context(), unit_of_work():
        get_employee("iris").active = False
    assert client.get("/api/v1/me").status_code == 401


def test_missing_or_malformed_authorization_is_401(client):
    for header in [None, "Basic abc", "Bearer ", "Bearer pojo_not-a-real-token"]:
        headers = {"Authorization": header} if header else {}
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_session_cookie_does_not_authenticate_the_api(client_as):
    browser = client_as("hr", team="Office")
    assert browser.get("/api/v1/me").status_code == 401
    assert browser.post("/api/v1/awards", json=award_body("x")).status_code == 401


def test_token_page_admin_sees_and_revokes_all_hr_only_own(app, client_as, make_employee):
    make_employee("iris", role="hr", team="Office")
    plain = token_for(app, "iris")
    admin = client_as("admin", team="Office")
    page = admin.get("/tokens").get_data(as_text=True)
    assert plain[:12] in page and plain not in page
    hr = client_as("hr", team="Office")
    assert plain[:12] not in hr.get("/tokens").get_data(as_text=True)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert hr.post(f"/tokens/{token_id}/revoke").status_code == 403
    assert admin.post(f"/tokens/{token_id}/revoke").status_code == 302
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 401
    assert client_as("agent").get("/tokens").status_code == 403


# GET /me, GET /criteria ---------------------------------------------------


def test_me_has_exact_fields_with_goal_null(app, make_employee):
    make_employee("aino", team="Alpha", temp=True, display_name="Aino A")
    body = api_client(app, "aino").get("/api/v1/me").get_json()
    assert set(body) == {
        "username",
        "name",
        "role",
        "employment_type",
        "team",
        "balance",
        "goal",
    }
    assert body["username"] == "aino" and body["name"] == "Aino A"
    assert body["employment_type"] == "temp" and body["team"] == "Alpha"
    assert body["balance"] == 0


def test_criteria_lists_the_catalogue_with_exact_fields(app, make_employee):
    body = api_client(app, make_employee()).get("/api/v1/criteria").get_json()
    assert {c["code"] for c in body} >= {"nps_10", "fcr", "promise_kept"}
    for criterion in body:
        assert set(criterion) == {"code", "name", "tier", "points", "description"}
    fcr = next(c for c in body if c["code"] == "fcr")
    assert fcr["points"] == 20 and fcr["tier"] == "good"


# POST /awards -------------------------------------------------------------


def test_supervisor_awards_own_team_member(app, make_employee):
    supervisor = make_employee(role="supervisor", team="Alpha")
    make_employee("aino", team="Alpha")
    response = api_client(app, supervisor).post("/api/v1/awards", json=award_body("aino"))
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "employee", "criterion", "points", "created_at"}
    assert (body["employee"], body["criterion"], body["points"]) == ("aino", "fcr", 20)
    ledger = api_client(app, "aino").get("/api/v1/employees/aino/ledger").get_json()
    assert ledger["balance"] == 20 and ledger["entries"][0]["reference"] == f"award:{body['id']}"


def test_award_refusals_have_the_contract_statuses_and_codes(app, make_employee):
    supervisor = make_employee(role="supervisor", team="Alpha")
    make_employee("aino", team="Alpha")
    make_employee("bertta", team="Beta")
    agent = make_employee(team="Alpha")
    boss = api_client(app, supervisor)
    cases = [
        (boss, award_body("bertta"), 403, "not_in_team"),
        (api_client(app, agent), award_body("aino"), 403, "forbidden"),
        (boss, award_body("nobody"), 404, "not_found"),
        (boss, award_body("aino", criterion="nope"), 404, "not_found"),
        (boss, award_body(supervisor), 422, "self_award"),
        (boss, award_body("aino", note="   "), 400, "invalid"),
    ]
    for client, body, status, code in cases:
        response = client.post("/api/v1/awards", json=body)
        assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)
    assert count(app, Award) == 0


def test_award_over_budget_is_422_over_budget(app, make_employee):
    from pojo.people.service import get_or_create_team

    with app.app_context(), unit_of_work():
        get_or_create_team("Alpha").monthly_award_budget = 30
    supervisor = make_employee(role="supervisor", team="Alpha")
    make_employee("aino", team="Alpha")
    client = api_client(app, supervisor)
    assert client.post("/api/v1/awards", json=award_body("aino")).status_code == 201
    response = client.post("/api/v1/awards", json=award_body("aino"))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "over_budget"


def test_award_retried_with_idempotency_key_awards_once(app, make_employee):
    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    client = api_client(app, hr)
    headers = {"Idempotency-Key": "award-aino-1"}
    first = client.post("/api/v1/awards", json=award_body("aino"), headers=headers)
    again = client.post("/api/v1/awards", json=award_body("aino"), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(app, Award) == 1 and count(app, LedgerEntry) == 1


def test_same_idempotency_key_with_another_body_is_422(app, make_employee):
    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    client = api_client(app, hr)
    headers = {"Idempotency-Key": "k-1"}
    assert (
        client.post("/api/v1/awards", json=award_body("aino"), headers=headers).status_code == 201
    )
    response = client.post(
        "/api/v1/awards", json=award_body("aino", criterion="nps_10"), headers=headers
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"
    assert count(app, Award) == 1


def test_idempotency_keys_are_per_caller(app, make_employee):
    make_employee("aino", team="Alpha")
    headers = {"Idempotency-Key": "shared"}
    for hr in (make_employee(role="hr", team="Office"), make_employee(role="hr", team="Office")):
        response = api_client(app, hr).post(
            "/api/v1/awards", json=award_body("aino"), headers=headers
        )
        assert response.status_code == 201
    assert count(app, Award) == 2


def _award_digest(body) -> str:
    import json

    from pojo.api import idempotency

    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return idempotency.request_hash("POST", "/api/v1/awards", canonical)


def _claim_row(employee_id: int, key: str, digest: str) -> dict:
    from pojo.api.idempotency import IN_FLIGHT
    from pojo.database import utcnow

    return {
        "employee_id": employee_id,
        "key": key,
        "method": "POST",
        "path": "/api/v1/awards",
        "request_hash": digest,
        "status_code": IN_FLIGHT,
        "response_body": "",
        "created_at": utcnow(),
    }


def test_a_claim_left_by_a_killed_worker_is_free_for_the_retry_at_once(app, make_employee):
    from pojo.api.models import IdempotencyRecord

    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    body = award_body("aino")
    with app.app_context(), unit_of_work():
        # What a worker killed mid-request left behind: its claim, committed, and no answer.
        db.session.execute(
            IdempotencyRecord.__table__.insert(),
            _claim_row(get_employee(hr).id, "killed", _award_digest(body)),
        )
    client = api_client(app, hr)
    headers = {"Idempotency-Key": "killed"}
    response = client.post("/api/v1/awards", json=body, headers=headers)
    assert response.status_code == 201
    again = client.post("/api/v1/awards", json=body, headers=headers)
    assert again.get_json() == response.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(app, Award) == 1


def test_a_holder_whose_connection_dies_frees_its_key_at_once(app, make_employee):
    from pojo.api import idempotency
    from pojo.api.models import IdempotencyRecord

    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    body = award_body("aino")
    with app.app_context():
        hr_id = get_employee(hr).id
        db.session.rollback()  # SQLite: leave the write lock to the holder
        holder = db.engine.connect()
        transaction = holder.begin()
        if holder.dialect.name == "postgresql":
            holder.execute(func.pg_advisory_xact_lock(idempotency.lock_id(hr_id, "dies")).select())
        holder.execute(
            IdempotencyRecord.__table__.insert(), _claim_row(hr_id, "dies", _award_digest(body))
        )
        # The worker is killed: its connection goes without a commit.
        holder.invalidate()
        del transaction
        holder.close()
    response = api_client(app, hr).post(
        "/api/v1/awards", json=body, headers={"Idempotency-Key": "dies"}
    )
    assert response.status_code == 201
    assert count(app, Award) == 1


def test_a_key_really_in_progress_is_409_on_postgresql(app, make_employee, backend):
    from pojo.api import idempotency

    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time: a retry waits and replays (next test)")
    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    body = award_body("aino")
    client = api_client(app, hr)
    headers = {"Idempotency-Key": "busy"}
    with app.app_context():
        lock = idempotency.lock_id(get_employee(hr).id, "busy")
        with db.engine.connect() as holder, holder.begin():
            # Another worker holds the key and is still working on it.
            holder.execute(func.pg_advisory_xact_lock(lock).select())
            response = client.post("/api/v1/awards", json=body, headers=headers)
            assert response.status_code == 409
            assert response.get_json()["error"]["code"] == "idempotency_key_in_use"
    assert count(app, Award) == 0
    assert client.post("/api/v1/awards", json=body, headers=headers).status_code == 201


def test_on_sqlite_a_retry_waits_for_the_holder_and_replays_its_answer(app, make_employee, backend):
    import threading
    import time

    from pojo.api.models import IdempotencyRecord

    if backend != "sqlite":
        pytest.skip("PostgreSQL answers 409 at once (previous test)")
    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    body = award_body("aino")
    with app.app_context():
        row = _claim_row(get_employee(hr).id, "slow", _award_digest(body))
        db.session.rollback()
        holding = threading.Event()
        engine = db.engine  # the thread has no app context of its own

        def hold_then_finish():
            with engine.connect() as holder:
                transaction = holder.begin()  # BEGIN IMMEDIATE: the write lock, as a request
                holder.execute(
                    IdempotencyRecord.__table__.insert(),
                    row | {"status_code": 201, "response_body": '{"id": 7}'},
                )
                holding.set()
                time.sleep(0.5)
                transaction.commit()

        worker = threading.Thread(target=hold_then_finish)
        worker.start()
        assert holding.wait(timeout=30), "the holder never took the write lock"
        started = time.monotonic()
        response = api_client(app, hr).post(
            "/api/v1/awards", json=body, headers={"Idempotency-Key": "slow"}
        )
        worker.join()
    assert time.monotonic() - started >= 0.4
    assert (response.status_code, response.get_json()) == (201, {"id": 7})
    assert response.headers["Idempotent-Replayed"] == "true"
    assert count(app, Award) == 0


def test_refused_request_frees_its_key_for_a_corrected_retry(app, make_employee):
    hr = make_employee(role="hr", team="Office")
    client = api_client(app, hr)
    headers = {"Idempotency-Key": "k-2"}
    assert (
        client.post("/api/v1/awards", json=award_body("aino"), headers=headers).status_code == 404
    )
    make_employee("aino", team="Alpha")
    assert (
        client.post("/api/v1/awards", json=award_body("aino"), headers=headers).status_code == 201
    )


def test_bad_idempotency_key_is_400(app, make_employee):
    hr = make_employee(role="hr", team="Office")
    response = api_client(app, hr).post(
        "/api/v1/awards", json=award_body("x"), headers={"Idempotency-Key": "x" * 300}
    )
    assert response.status_code == 400


# Bad input ----------------------------------------------------------------


def test_bad_bodies_are_400_naming_the_field_and_change_nothing(app, make_employee):
    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    client = api_client(app, hr)
    cases = [
        ('{"employee": "aino",', "body"),
        ("[]", "body"),
        ("NaN", "body"),
        ('{"employee": "aino", "criterion": "fcr"}', "note"),
        ('{"employee": 5, "criterion": "fcr", "note": "x"}', "employee"),
        ('{"employee": "aino", "criterion": "fcr", "note": "x", "extra": 1}', "extra"),
        ('{"employee": "aino", "criterion": "fcr", "note": "' + "x" * 100_000 + '"}', "note"),
        (b"\xff\xfe\x00garbage", "body"),
        ("", "body"),
    ]
    for raw, field in cases:
        response = client.post(
            "/api/v1/awards", data=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, raw[:60]
        error = response.get_json()["error"]
        assert error["code"] in ("invalid", "bad_request") and error["message"]
        assert error["field"] == field
    assert count(app, Award) == 0


def test_unknown_api_path_and_wrong_method_answer_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


# GET /employees/USERNAME/ledger -------------------------------------------


def _awards(app, hr, username, n):
    client = api_client(app, hr)
    for number in range(n):
        note = f"award {number}"
        assert (
            client.post("/api/v1/awards", json=award_body(username, note=note)).status_code == 201
        )


def test_ledger_pages_newest_first_with_limit_and_before(app, make_employee):
    hr = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    _awards(app, hr, "aino", 5)
    client = api_client(app, "aino")
    first = client.get("/api/v1/employees/aino/ledger?limit=2").get_json()
    assert set(first) >= {"username", "balance", "entries"}
    assert first["balance"] == 100
    assert [e["note"] for e in first["entries"]] == ["award 4", "award 3"]
    assert set(first["entries"][0]) == {"id", "at", "points", "kind", "reference", "note"}
    before = first["entries"][-1]["id"]
    second = client.get(f"/api/v1/employees/aino/ledger?limit=2&before={before}").get_json()
    assert [e["note"] for e in second["entries"]] == ["award 2", "award 1"]
    assert first["next_before"] == before


def test_ledger_bad_paging_values_are_400(app, make_employee):
    client = api_client(app, make_employee("aino"))
    for query in [
        "limit=0",
        "limit=abc",
        "limit=201",
        "before=-1",
        "before=1.5",
        "limit=1&limit=2",
        "page=2",
    ]:
        response = client.get(f"/api/v1/employees/aino/ledger?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] == "invalid"


def test_ledger_visible_to_self_team_supervisor_hr_admin_only(app, make_employee):
    make_employee("aino", team="Alpha")
    allowed = [
        "aino",
        make_employee(role="supervisor", team="Alpha"),
        make_employee(role="hr", team="Office"),
        make_employee(role="admin", team="Office"),
    ]
    refused = [make_employee(team="Alpha"), make_employee(role="supervisor", team="Beta")]
    for username in allowed:
        assert api_client(app, username).get("/api/v1/employees/aino/ledger").status_code == 200
    for username in refused:
        response = api_client(app, username).get("/api/v1/employees/aino/ledger")
        assert response.status_code == 403
    response = api_client(app, allowed[2]).get("/api/v1/employees/nobody/ledger")
    assert response.status_code == 404
