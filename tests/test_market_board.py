"""The board drawn from each worker's cache: always current, right for each viewer, paged."""

import re
from datetime import timedelta

from sqlalchemy import select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market import board_cache
from pojo.market import service as market
from pojo.market.board_cache import PAGE_SIZE
from pojo.market.models import Redemption
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points
from tests.query_count import statements_for


def redeem_form(reward_id, max_price, request_id):
    return {"reward": reward_id, "max_price": max_price, "request_id": request_id}


def board_prices(client) -> list[int]:
    return [row["price"] for row in client.get("/market/board.json").get_json()["rewards"]]


def test_redemption_through_another_worker_shows_on_every_board_at_once(
    app, make_app, make_employee, login
):
    buyer = make_employee()
    give_points(app, buyer, 1000)
    reward_id = add_reward(app)
    watcher = app.test_client()
    login(watcher, make_employee())
    assert board_prices(watcher) == [180]  # this worker has now cached the board
    other_worker = make_app().test_client()
    login(other_worker, buyer)
    response = other_worker.post("/market/redeem", data=redeem_form(reward_id, 180, "w2"))
    assert response.status_code == 302
    assert board_prices(watcher) == [205]
    assert "205" in watcher.get("/market").get_data(as_text=True)


def test_cancelled_redemption_puts_the_unit_back_on_the_board_at_once(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app, stock=1)
    agent.post("/market/redeem", data=redeem_form(reward_id, 180, "last-one"))
    assert "Sold out" in agent.get("/market").get_data(as_text=True)
    hr = client_as("hr")
    redemption_id = market_redemption_id(app, reward_id)
    hr.post(f"/market/admin/redemptions/{redemption_id}/cancel", data={"reason": "No stock"})
    page = agent.get("/market").get_data(as_text=True)
    assert "1 left" in page and "Sold out" not in page


def market_redemption_id(app, reward_id) -> int:
    with app.app_context():
        return db.session.scalar(select(Redemption.id).where(Redemption.reward_id == reward_id))


def test_renamed_reward_shows_its_new_name_at_once(app, client_as):
    agent = client_as("agent")
    reward_id = add_reward(app, name_en="Massage")
    assert "Massage" in agent.get("/market").get_data(as_text=True)
    with app.app_context(), unit_of_work():
        market.update_reward(None, reward_id, name_en="Massage 60 min")
    assert "Massage 60 min" in agent.get("/market").get_data(as_text=True)


def test_price_falls_on_the_board_the_moment_a_redemption_leaves_the_window(
    app, client_as, make_employee, monkeypatch
):
    agent = client_as("agent")
    buyer = make_employee()
    give_points(app, buyer, 1000)
    reward_id = add_reward(app)
    now = utcnow()
    with app.app_context(), unit_of_work():
        market.redeem(get_employee(buyer), reward_id, 600, at=now - timedelta(days=30, hours=-1))
    assert board_prices(agent) == [205]  # cached now, with nothing written later
    monkeypatch.setattr(board_cache, "utcnow", lambda: now + timedelta(minutes=59))
    assert board_prices(agent) == [205]
    monkeypatch.setattr(board_cache, "utcnow", lambda: now + timedelta(hours=1, seconds=1))
    assert board_prices(agent) == [180]


def test_each_viewer_sees_their_own_buttons_and_goal_on_the_shared_board(app, client_as):
    rich, poor = client_as("agent"), client_as("agent")
    give_points(app, rich.username, 1000)
    give_points(app, poor.username, 100)
    reward_id = add_reward(app)
    poor.post("/market/goal", data={"reward": reward_id})
    rich_page = rich.get("/market").get_data(as_text=True)
    poor_page = poor.get("/market").get_data(as_text=True)
    assert "Redeem · 180 points" in rich_page and "more points needed" not in rich_page
    assert "80 more points needed" in poor_page and "Redeem · 180 points" not in poor_page
    assert "is-goal" in poor_page and "is-goal" not in rich_page
    request_ids = re.findall(r'name="request_id" value="([^"]+)"', rich_page)
    assert request_ids and request_ids[0] not in poor_page  # every form is its own


def test_board_queries_do_not_grow_with_the_number_of_rewards(app, client_as):
    agent = client_as("agent")
    add_reward(app, name_en="Reward 0")
    building_few = statements_for(app, agent, "/market")
    cached_few = statements_for(app, agent, "/market")
    for n in range(1, 3 * PAGE_SIZE):
        add_reward(app, name_en=f"Reward {n}")
    assert statements_for(app, agent, "/market") == building_few
    assert statements_for(app, agent, "/market") == cached_few < building_few
    assert statements_for(app, agent, "/market/board.json") <= cached_few


def test_board_shows_a_page_of_rewards_with_a_link_to_more(app, client_as):
    agent = client_as("agent")
    for n in range(PAGE_SIZE + 2):
        add_reward(app, name_en=f"Reward {n:02d}", category="item" if n % 2 else "wellbeing")
    first = agent.get("/market").get_data(as_text=True)
    assert first.count("data-reward=") == PAGE_SIZE
    assert f"Rewards 1–{PAGE_SIZE} of {PAGE_SIZE + 2}" in first
    more = re.search(r'rel="next" href="([^"]+)"', first)
    second = agent.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert second.count("data-reward=") == 2 and "Previous rewards" in second
    assert len(agent.get("/market/board.json?page=2").get_json()["rewards"]) == 2
    items = agent.get("/market?category=item").get_data(as_text=True)
    assert items.count("data-reward=") == (PAGE_SIZE + 2) // 2 and "More rewards" not in items
    for odd in ("abc", "-3", "99999999999999999999"):
        assert agent.get(f"/market?page={odd}").status_code == 200


def test_finnish_and_english_viewers_each_see_their_language_from_one_board(
    app, make_employee, login
):
    add_reward(app, name_en="Massage", name_fi="Hieronta", stock=3)
    finnish, english = app.test_client(), app.test_client()
    login(finnish, make_employee(language="fi"))
    login(english, make_employee(language="en"))
    english_page = english.get("/market").get_data(as_text=True)
    finnish_page = finnish.get("/market").get_data(as_text=True)
    assert "Massage" in english_page and "3 left" in english_page
    assert "Hieronta" in finnish_page and "Massage" not in finnish_page


def test_withdrawn_goal_still_shows_on_the_board(app, client_as):
    agent = client_as("agent")
    reward_id = add_reward(app, name_en="Spa day")
    agent.post("/market/goal", data={"reward": reward_id})
    with app.app_context(), unit_of_work():
        market.update_reward(None, reward_id, active=False)
    page = agent.get("/market").get_data(as_text=True)
    assert "Your goal" in page and "Spa day" in page
