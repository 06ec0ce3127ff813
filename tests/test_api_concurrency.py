"""Retries that arrive at the same moment still act once."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.outcomes.models import Outcome
from tests.test_api import token_for
from tests.test_outcomes import DAY

CLIENTS = 8


def _post_together(app, token, path, body, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key

    def post(_n):
        response = app.test_client().post(path, json=body, headers=headers)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(post, range(CLIENTS)))


def test_concurrent_retries_with_one_key_award_once(app, make_employee):
    make_employee("aino", team="Alpha")
    token = token_for(app, make_employee(role="hr", team="Office"))
    body = {"employee": "aino", "criterion": "fcr", "note": "Great call"}
    results = _post_together(app, token, "/api/v1/awards", body, key="same-moment")
    statuses = {status for status, _body in results}
    assert statuses <= {201, 409}, results
    created = [answer for status, answer in results if status == 201]
    assert created and all(answer == created[0] for answer in created)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Award)) == 1


def test_concurrent_posts_of_the_same_outcomes_award_once(app, make_employee):
    make_employee("aino", team="Alpha")
    token = token_for(app, make_employee(role="hr", team="Office"))
    body = {
        "outcomes": [
            {
                "external_id": f"s{n}",
                "employee": "aino",
                "kind": "nps",
                "score": 10,
                "occurred_at": f"{DAY}T10:00:00Z",
            }
            for n in range(50)
        ]
    }
    results = _post_together(app, token, "/api/v1/outcomes", body)
    assert {status for status, _body in results} == {200}, results
    assert sum(answer["accepted"] for _status, answer in results) == 50
    assert sum(answer["points_awarded"] for _status, answer in results) == 50 * 50
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Outcome)) == 50
        assert db.session.scalar(select(func.count()).select_from(Award)) == 50
