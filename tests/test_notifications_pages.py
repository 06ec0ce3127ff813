"""The bell and the notification list, as an employee sees them."""

import re

from pojo.extensions import db
from pojo.notifications.service import notify
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work


def leave(app, username, kind="redemption_fulfilled", link="/wallet", **params):
    params = {"reward_en": "Massage", "reward_fi": "Hieronta", **params}
    with app.app_context(), unit_of_work():
        notify(get_employee(username).id, kind, link, **params)


def bell_count(html: str) -> str | None:
    match = re.search(r"<span class=\"count\" data-unread\s*(hidden)?\s*>(\d+)<", html)
    assert match, "no bell on the page"
    return None if match.group(1) else match.group(2)


def test_bell_shows_the_unread_count_on_every_page(app, client_as):
    agent = client_as("agent")
    assert bell_count(agent.get("/wallet").get_data(as_text=True)) is None
    leave(app, agent.username)
    leave(app, agent.username, "goal_affordable", price=300)
    assert bell_count(agent.get("/wallet").get_data(as_text=True)) == "2"
    assert bell_count(agent.get("/criteria").get_data(as_text=True)) == "2"


def test_opening_the_list_shows_messages_and_marks_them_read(app, client_as):
    agent = client_as("agent")
    leave(app, agent.username)
    leave(app, agent.username, "goal_price_drop", price=250, was=300)
    page = agent.get("/notifications").get_data(as_text=True)
    assert "Your redemption is ready: Massage." in page
    assert "dropped to 250 points" in page
    assert page.count('class="tag tag-new"') == 2
    again = agent.get("/notifications").get_data(as_text=True)
    assert 'class="tag tag-new"' not in again
    assert bell_count(again) is None


def test_messages_come_in_the_readers_language(app, client_as):
    agent = client_as("agent", language="fi")
    leave(app, agent.username)
    page = agent.get("/notifications").get_data(as_text=True)
    assert "Lunastuksesi on valmiina: Hieronta." in page and "Massage" not in page


def test_a_notification_links_only_within_pojo(app, client_as):
    agent = client_as("agent")
    leave(app, agent.username, link="https://evil.example/phish")
    leave(app, agent.username, "goal_affordable", link="/market/rewards/1", price=300)
    page = agent.get("/notifications").get_data(as_text=True)
    assert "evil.example" not in page
    assert 'href="/market/rewards/1"' in page


def test_nobody_sees_anothers_notifications(app, client_as, make_employee):
    colleague = make_employee()
    leave(app, colleague, reason="private")
    agent = client_as("agent")
    page = agent.get("/notifications").get_data(as_text=True)
    assert "Massage" not in page and "No notifications yet" in page
    with app.app_context():
        assert db.session.execute(db.text("SELECT COUNT(*) FROM notifications")).scalar() == 1


def test_notifications_need_a_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
