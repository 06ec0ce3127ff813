"""An employee downloads all Pojo holds about them, from their settings: their own, nobody else's,
and no secret (tokens, hashes, session ids)."""

import json
from datetime import UTC, datetime, timedelta

from pojo import bounds
from pojo.api.tokens import create_token, hash_token
from pojo.extensions import db
from pojo.features import Feature, Installed
from pojo.market import redemptions
from pojo.market.models import SavingsGoal
from pojo.notifications.service import notify
from pojo.people.service import find_employee
from pojo.shifts.feeds import create_feed
from pojo.shifts.models import Shift
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points


def _download(client) -> dict:
    response = client.get("/settings/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return json.loads(response.get_data(as_text=True))


def _someone_with_history(app, username: str, note: str) -> str:
    """Points, a redemption, a goal, a shift, a notification, a token and a calendar link."""
    give_points(app, username, 500)
    reward_id = add_reward(app, name_en=f"Reward of {username}", name_fi=f"Palkinto {username}")
    with app.app_context(), unit_of_work():
        employee = find_employee(username)
        redemptions.redeem(employee, reward_id, 10_000)
        db.session.add(SavingsGoal(employee_id=employee.id, reward_id=reward_id, reference_price=1))
        starts = datetime.now(UTC) + timedelta(days=3)
        db.session.add(
            Shift(
                employee_id=employee.id,
                team_id=employee.team_id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=8),
                label=note,
            )
        )
        notify(employee.id, "redemption_fulfilled", None, reward_en=note, reward_fi=note)
        made, token = create_token(username, name=f"token {note}")
        prefix = made.prefix
        link = create_feed(employee)
    return token, hash_token(token), prefix, link, hash_token(link)


def test_the_download_holds_my_own_data_and_nobody_elses(app, client_as, make_employee):
    me = client_as("agent", team="Alpha")
    other = make_employee(team="Alpha")
    my_secrets = _someone_with_history(app, me.username, "mine-123")
    other_secrets = _someone_with_history(app, other, "theirs-456")

    text = me.get("/settings/my-data.json").get_data(as_text=True)
    data = _download(me)
    assert data["employee"] == me.username
    assert data["profile"]["username"] == me.username and data["profile"]["team"] == "Alpha"
    assert data["ledger"]["balance"] == 500 - 300
    assert {entry["kind"] for entry in data["ledger"]["entries"]} == {"award", "redemption"}
    assert [r["reward"] for r in data["redemptions"]] == [f"Reward of {me.username}"]
    assert data["goal"]["reward"] == f"Reward of {me.username}"
    assert [s["label"] for s in data["shifts"]] == ["mine-123"]
    assert [t["name"] for t in data["api_tokens"]] == ["token mine-123"]
    assert data["calendar_feeds"][0]["live"] is True
    assert any("mine-123" in n["text"] for n in data["notifications"])
    assert len(data["sessions"]) >= 1 and set(data["sessions"][0]) == {"started_at", "ended_at"}
    assert data["awards_received"][0]["points"] == 500
    for part in ("outcomes", "swaps", "contract_events"):
        assert data[part] == []

    assert other not in text and "theirs-456" not in text
    for secret in (*my_secrets, *other_secrets):
        assert str(secret) not in text
    for word in ("password", "token_hash", "session_version", "prefix"):
        assert word not in text
    assert (
        me.get("/settings/my-data.json?username=" + other).get_data(as_text=True).count(other) == 0
    )


def test_each_list_is_bounded(app, client_as, monkeypatch):
    me = client_as("agent", team="Alpha")
    with app.app_context(), unit_of_work():
        employee = find_employee(me.username)
        for number in range(4):
            notify(employee.id, "redemption_fulfilled", None, reward_en=f"n{number}", reward_fi="")
    monkeypatch.setattr(bounds, "PERSONAL_DATA_ROWS", 2)
    data = _download(me)
    assert data["rows_per_list_at_most"] == 2
    assert len(data["notifications"]) == 2
    assert "n3" in data["notifications"][0]["text"]  # the newest kept


def test_the_settings_page_links_the_download(client_as):
    page = client_as("agent", team="Alpha").get("/settings").get_data(as_text=True)
    assert "/settings/my-data.json" in page and "Download my data (JSON)" in page


def test_a_visitor_gets_the_login_page(client):
    assert client.get("/settings/my-data.json").status_code == 302


def test_every_feature_that_holds_personal_data_gives_its_part(app):
    from pojo.features import installed

    assert list(installed(app).personal_data) == [
        "profile",
        "contract_events",
        "sessions",
        "ledger",
        "awards_received",
        "outcomes",
        "api_tokens",
        "redemptions",
        "goal",
        "shifts",
        "calendar_feeds",
        "swaps",
        "audit_log",
        "notifications",
        "mail_preferences",
        "mail_outbox",
    ]


def test_two_features_cannot_give_the_same_part():
    gathered = Installed()
    gathered.add(Feature(name="one", personal_data={"profile": lambda e: {}}))
    try:
        gathered.add(Feature(name="two", personal_data={"profile": lambda e: {}}))
    except ValueError as error:
        assert "profile" in str(error)
    else:
        raise AssertionError("a second feature took the part")
