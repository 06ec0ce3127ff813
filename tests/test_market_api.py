"""The exchange in API v1: exact paths, fields, statuses and error codes."""

import pytest
from sqlalchemy import func, select

from pojo.api.tokens import create_token
from pojo.extensions import db
from pojo.market import goals
from pojo.market.models import Redemption
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points

REWARD_FIELDS = {
    "id",
    "name",
    "category",
    "price",
    "base_price",
    "floor_price",
    "ceiling_price",
    "stock_left",
    "change_24h_pct",
}


def api_client(app, username):
    with app.app_context(), unit_of_work():
        _token, plain = create_token(username)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
    return client


def test_rewards_list_has_exact_fields_and_current_prices(app, make_employee):
    agent = make_employee()
    add_reward(app, stock=3)
    add_reward(app, name_en="Hoodie", name_fi="Huppari", category="item")
    response = api_client(app, agent).get("/api/v1/rewards")
    assert response.status_code == 200
    rewards = {reward["name"]: reward for reward in response.get_json()}
    assert set(rewards["Massage"]) == REWARD_FIELDS
    assert rewards["Massage"]["price"] == 300  # a new reward opens at its base price
    assert rewards["Massage"]["stock_left"] == 3
    assert rewards["Hoodie"]["stock_left"] is None
    assert rewards["Massage"]["change_24h_pct"] is None  # listed just now


def test_reward_names_follow_the_callers_language(app, make_employee):
    agent = make_employee(language="fi")
    reward_id = add_reward(app)
    body = api_client(app, agent).get(f"/api/v1/rewards/{reward_id}").get_json()
    assert body["name"] == "Hieronta"


def test_reward_detail_has_history_of_recorded_prices(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app)
    client = api_client(app, agent)
    client.post("/api/v1/redemptions", json={"reward": reward_id, "max_price": 600})
    body = client.get(f"/api/v1/rewards/{reward_id}").get_json()
    assert set(body) == REWARD_FIELDS | {"history"}
    assert body["price"] == 324
    # From the opening at 300 to now: the redemption's jump of 8 %, then the price now.
    prices = [point["price"] for point in body["history"]]
    assert prices[0] == 300 and prices[-1] == 324 and prices == sorted(prices)
    assert all(set(point) == {"at", "price"} for point in body["history"])


@pytest.mark.parametrize("role", ["agent", "supervisor", "hr", "admin"])
def test_a_withdrawn_reward_is_404_on_page_and_api_alike_except_for_hr_and_admin(
    app, make_employee, login, role
):
    viewer = make_employee(role=role, team="Office")
    reward_id = add_reward(app, active=False)
    page_client = login(app.test_client(), viewer)
    page = page_client.get(f"/market/rewards/{reward_id}")
    api = api_client(app, viewer).get(f"/api/v1/rewards/{reward_id}")
    expected = 200 if role in ("hr", "admin") else 404
    assert (page.status_code, api.status_code) == (expected, expected)
    if expected == 404:
        assert api.get_json()["error"]["code"] == "not_found"
        assert "price" not in api.get_json() and "history" not in api.get_json()
    else:
        # Withdrawn at once: its history is its opening price, as now.
        assert [point["price"] for point in api.get_json()["history"]] == [300, 300]


def test_unknown_reward_is_404_with_error_body(app, make_employee):
    response = api_client(app, make_employee()).get("/api/v1/rewards/999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_redemption_created_with_price_paid_and_balance_after(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app)
    response = api_client(app, agent).post(
        "/api/v1/redemptions", json={"reward": reward_id, "max_price": 320}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "reward", "price_paid", "status", "balance_after"}
    assert (body["reward"], body["price_paid"], body["status"], body["balance_after"]) == (
        reward_id,
        300,
        "pending",
        700,
    )


def test_redemption_refused_when_price_moved_reports_the_price(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app)
    client = api_client(app, agent)
    client.post("/api/v1/redemptions", json={"reward": reward_id, "max_price": 300})
    response = client.post("/api/v1/redemptions", json={"reward": reward_id, "max_price": 300})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert (error["code"], error["price"]) == ("price_moved", 324)
    assert error["message"] == "The price moved from 300 to 324 points; nothing was charged."
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Redemption)) == 1


def test_redemption_of_sold_out_reward_is_409_out_of_stock(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app, stock=0)
    response = api_client(app, agent).post(
        "/api/v1/redemptions", json={"reward": reward_id, "max_price": 600}
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "out_of_stock"


def test_redemption_beyond_balance_is_422_insufficient_points(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 100)
    reward_id = add_reward(app)
    response = api_client(app, agent).post(
        "/api/v1/redemptions", json={"reward": reward_id, "max_price": 600}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "insufficient_points"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Redemption)) == 0


def test_redemption_body_must_match_the_schema(app, make_employee):
    client = api_client(app, make_employee())
    for body in ({"reward": 1}, {"reward": "1", "max_price": 5}, {"reward": 1, "max_price": 0}):
        assert client.post("/api/v1/redemptions", json=body).status_code == 400


def test_me_reports_the_goal_with_progress(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 150)
    reward_id = add_reward(app)
    client = api_client(app, agent)
    assert client.get("/api/v1/me").get_json()["goal"] is None
    with app.app_context(), unit_of_work():
        goals.set_goal(get_employee(agent), reward_id)
    goal = client.get("/api/v1/me").get_json()["goal"]
    assert goal == {"reward": reward_id, "price": 300, "progress_pct": 50}


def test_openapi_document_describes_the_market_endpoints(app, make_employee):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    assert "/api/v1/rewards" in paths
    assert "/api/v1/rewards/{reward_id}" in paths
    post = paths["/api/v1/redemptions"]["post"]
    assert {"201", "409", "422"} <= set(post["responses"])
    me = paths["/api/v1/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(me["properties"]["goal"]["properties"]) == {"reward", "price", "progress_pct"}
