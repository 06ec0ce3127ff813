"""GET /api/v1/insights/segments: the exact shape, who may ask, and bounded window_days."""

import pytest
from sqlalchemy import func, select

from pojo.api.tokens import create_token
from pojo.extensions import db
from pojo.people.models import Setting
from pojo.unit_of_work import unit_of_work
from tests.conftest import csrf_token_from
from tests.insights_helpers import build_histories
from tests.market_helpers import give_points

FIELDS = {
    "username",
    "segment",
    "reason",
    "redemptions_per_year",
    "median_days_to_redeem",
    "median_balance",
    "employment_type",
    "team",
}


def api_client(app, username):
    with app.app_context(), unit_of_work():
        _token, plain = create_token(username)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
    return client


def test_hr_gets_every_participant_with_label_figures_and_sentence(app, make_employee):
    from pojo.database import utcnow

    build_histories(app, utcnow())
    hr = make_employee(role="hr")
    body = api_client(app, hr).get("/api/v1/insights/segments").get_json()
    assert set(body) == {"window_days", "summary", "employees"}
    assert body["window_days"] == 365
    assert body["summary"] == {"impulse": 1, "saver": 1, "balanced": 1, "dormant": 1, "new": 1}
    rows = {row["username"]: row for row in body["employees"]}
    # HR themselves and the giver (HR) take no part.
    assert set(rows) == {"impulse", "saver", "balanced", "dormant", "newcomer"}
    assert all(set(row) == FIELDS for row in rows.values())
    impulse = rows["impulse"]
    assert impulse["segment"] == "impulse" and impulse["team"] == "Alpha"
    assert impulse["reason"].startswith("Redeemed 12 times")
    assert rows["newcomer"]["median_days_to_redeem"] is not None
    assert rows["dormant"]["employment_type"] == "permanent"


def test_a_short_window_is_answered_for_it(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 50)
    body = api_client(app, make_employee(role="admin")).get(
        "/api/v1/insights/segments?window_days=30"
    )
    assert body.status_code == 200
    assert body.get_json()["window_days"] == 30
    assert body.get_json()["employees"][0]["segment"] == "new"


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_agents_and_supervisors_are_refused(app, make_employee, role):
    response = api_client(app, make_employee(role=role)).get("/api/v1/insights/segments")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"]


@pytest.mark.parametrize("value", ["0", "-1", "3651", str(2**31), str(10**20), "", "1e3", "a\x00"])
def test_a_bad_window_is_400_naming_the_field(app, make_employee, value):
    client = api_client(app, make_employee(role="hr"))
    response = client.get("/api/v1/insights/segments", query_string={"window_days": value})
    assert response.status_code == 400
    error = response.get_json()["error"]
    # A NUL is refused for the whole request before any field is read.
    assert "\x00" in value or "window_days" in (error.get("field") or error["message"])


def test_the_openapi_document_describes_the_segments(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/insights/segments"]["get"]
    assert any(p["name"] == "window_days" for p in operation["parameters"])
    assert "403" in operation["responses"]


def test_hr_changes_thresholds_on_a_page_and_saving_again_changes_nothing(app, client_as):
    hr = client_as("hr")
    page = hr.get("/insights/thresholds")
    assert page.status_code == 200 and b"insights_impulse_days" in page.data
    values = {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "insights_new_days": "90",
        "insights_dormant_days": "180",
        "insights_impulse_days": "14",
        "insights_impulse_carry_pct": "100",
        "insights_saver_carry_pct": "150",
        "insights_saver_per_year": "4",
        "insights_saver_upper_share_pct": "50",
    }
    saved = hr.post("/insights/thresholds", data=values, follow_redirects=True)
    assert b"Thresholds saved." in saved.data
    with app.app_context():
        from pojo.insights.thresholds import current_thresholds

        assert current_thresholds().impulse_days == 14
        stored = db.session.scalar(select(func.count()).select_from(Setting))
    again = hr.post("/insights/thresholds", data=values, follow_redirects=True)
    assert b"Nothing changed." in again.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Setting)) == stored


@pytest.mark.parametrize("value", ["-1", "101", str(2**31), "", "abc"])
def test_a_bad_threshold_is_a_form_error_and_changes_nothing(app, client_as, value):
    hr = client_as("hr")
    token = csrf_token_from(hr.get("/insights/thresholds").get_data(as_text=True))
    response = hr.post(
        "/insights/thresholds",
        data={"csrf_token": token, "insights_saver_upper_share_pct": value},
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Setting)) == 0


def test_the_thresholds_page_is_for_hr_and_admin(client_as):
    assert client_as("supervisor").get("/insights/thresholds").status_code == 403


def test_the_wallet_shows_ones_own_profile_kindly_and_only_to_oneself(app, client_as, login):
    agent = client_as("agent")
    give_points(app, agent.username, 40)
    page = agent.get("/wallet").get_data(as_text=True)
    assert "How you use your points" in page and "Too early to tell" in page
    hr = client_as("hr")
    other = hr.get(f"/wallet/{agent.username}")
    if other.status_code == 200:
        assert "How you use your points" not in other.get_data(as_text=True)
    assert "How you use your points" not in hr.get("/wallet").get_data(as_text=True)
