"""POST /api/v1/outcomes: a contact centre posts a day's NPS answers and sees who earned what, once."""

from sqlalchemy import func, select

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.outcomes.models import Outcome
from tests.test_api import api_client
from tests.test_outcomes import DAY


def outcome(external_id, employee="aino", kind="nps", score=10, at=f"{DAY}T10:00:00+02:00"):
    found = {"external_id": external_id, "employee": employee, "kind": kind, "occurred_at": at}
    if score is not None:
        found["score"] = score
    return found


def counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Outcome, Award, LedgerEntry)
        )


def test_day_of_nps_answers_awards_by_rules_and_reports_who_earned_what(app, make_employee):
    make_employee("aino", team="Alpha")
    make_employee("bertta", team="Beta", temp=True)
    hr = api_client(app, make_employee(role="hr", team="Office"))
    day = [
        outcome("s1", "aino", score=10),
        outcome("s2", "bertta", score=9),
        outcome("s3", "aino", score=6),
        outcome("t1", "bertta", kind="fcr", score=None),
    ]
    response = hr.post("/api/v1/outcomes", json={"outcomes": day})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["accepted"], body["duplicates"], body["points_awarded"]) == (4, 0, 95)
    assert body["rejected"] == []
    earned = {(a["index"], a["employee"], a["criterion"], a["points"]) for a in body["awards"]}
    assert earned == {
        (0, "aino", "nps_10", 50),
        (1, "bertta", "nps_9", 25),
        (3, "bertta", "fcr", 20),
    }
    ledger = api_client(app, "bertta").get("/api/v1/employees/bertta/ledger").get_json()
    assert ledger["balance"] == 45
    assert {entry["kind"] for entry in ledger["entries"]} == {"outcome"}


def test_reposting_the_same_outcomes_awards_nothing_again(app, make_employee):
    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    batch = {"outcomes": [outcome("s1"), outcome("s2", score=9)]}
    assert hr.post("/api/v1/outcomes", json=batch).get_json()["points_awarded"] == 75
    again = hr.post("/api/v1/outcomes", json=batch).get_json()
    assert (again["accepted"], again["duplicates"], again["points_awarded"]) == (0, 2, 0)
    assert counts(app) == (2, 2, 2)


def test_retry_with_idempotency_key_returns_first_response(app, make_employee):
    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    batch = {"outcomes": [outcome("s1")]}
    headers = {"Idempotency-Key": "day-2026-11-20"}
    first = hr.post("/api/v1/outcomes", json=batch, headers=headers)
    retry = hr.post("/api/v1/outcomes", json=batch, headers=headers)
    assert retry.status_code == 200 and retry.get_json() == first.get_json()
    assert retry.get_json()["accepted"] == 1  # the first answer, not "1 duplicate"
    other = hr.post("/api/v1/outcomes", json={"outcomes": [outcome("s2")]}, headers=headers)
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert counts(app) == (1, 1, 1)


def test_unmatched_outcomes_are_recorded_but_award_nothing(app, make_employee):
    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    body = hr.post(
        "/api/v1/outcomes",
        json={"outcomes": [outcome("q1", kind="quality_review", score=70), outcome("n1", score=3)]},
    ).get_json()
    assert (body["accepted"], body["points_awarded"], body["awards"]) == (2, 0, [])
    assert counts(app) == (2, 0, 0)


def test_unknown_inactive_and_future_rows_are_rejected_by_index_others_applied(app, make_employee):
    make_employee("aino", team="Alpha")
    make_employee("gone", team="Alpha", active=False)
    hr = api_client(app, make_employee(role="hr", team="Office"))
    body = hr.post(
        "/api/v1/outcomes",
        json={
            "outcomes": [
                outcome("ok"),
                outcome("x1", "nobody"),
                outcome("x2", "gone"),
                outcome("x3", at="2999-01-01T00:00:00Z"),
                outcome("x4", at="1999-12-31T00:00:00Z"),
            ]
        },
    ).get_json()
    assert body["accepted"] == 1
    assert [r["index"] for r in body["rejected"]] == [1, 2, 3, 4]
    assert all(r["message"] for r in body["rejected"])
    assert counts(app) == (1, 1, 1)


def test_more_than_1000_outcomes_is_413_and_nothing_applied(app, make_employee):
    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    many = [outcome(f"s{n}") for n in range(1001)]
    response = hr.post("/api/v1/outcomes", json={"outcomes": many})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert hr.post("/api/v1/outcomes", json={"outcomes": many[:1000]}).status_code == 200
    assert counts(app)[0] == 1000


def test_bad_outcome_fields_are_400_naming_the_field_and_nothing_applied(app, make_employee):
    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    good = outcome("good")
    cases = [
        ({**outcome("a"), "score": -1}, "outcomes[1].score"),
        ({**outcome("a"), "score": 1000}, "outcomes[1].score"),
        ({**outcome("a"), "score": "10"}, "outcomes[1].score"),
        ({**outcome("a"), "score": 9.5}, "outcomes[1].score"),
        ({**outcome("a"), "score": True}, "outcomes[1].score"),
        ({**outcome("a"), "occurred_at": "yesterday"}, "outcomes[1].occurred_at"),
        ({**outcome("a"), "occurred_at": f"{DAY}T10:00:00"}, "outcomes[1].occurred_at"),
        ({**outcome("a"), "kind": "NPS!"}, "outcomes[1].kind"),
        ({**outcome("a"), "external_id": "x" * 129}, "outcomes[1].external_id"),
        ({**outcome("a"), "employee": "x" * 10_000}, "outcomes[1].employee"),
        ({**outcome("a"), "colour": "red"}, "outcomes[1].colour"),
        (
            {"external_id": "a", "kind": "nps", "occurred_at": f"{DAY}T10:00:00Z"},
            "outcomes[1].employee",
        ),
    ]
    for bad, field in cases:
        response = hr.post("/api/v1/outcomes", json={"outcomes": [good, bad]})
        assert response.status_code == 400, bad
        error = response.get_json()["error"]
        assert error["field"] == field and field in error["message"]
    response = hr.post("/api/v1/outcomes", json={"outcomes": "all of them"})
    assert response.status_code == 400
    assert counts(app) == (0, 0, 0)


def test_only_hr_and_admin_tokens_post_outcomes(app, make_employee):
    make_employee("aino", team="Alpha")
    batch = {"outcomes": [outcome("s1")]}
    for role in ("agent", "supervisor"):
        response = api_client(app, make_employee(role=role, team="Alpha")).post(
            "/api/v1/outcomes", json=batch
        )
        assert response.status_code == 403
    admin = api_client(app, make_employee(role="admin", team="Office"))
    assert admin.post("/api/v1/outcomes", json=batch).status_code == 200


def test_outcome_awards_count_against_no_team_budget(app, make_employee):
    from pojo.awards.budgets import team_budget
    from pojo.people.service import get_or_create_team

    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    hr.post("/api/v1/outcomes", json={"outcomes": [outcome(f"s{n}") for n in range(3)]})
    with app.test_request_context():
        assert team_budget(get_or_create_team("Alpha")).used == 0
