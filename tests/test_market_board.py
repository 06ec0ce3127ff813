"""The board drawn from each worker's cache: always current, right for each viewer, paged."""

import re
from datetime import timedelta

from sqlalchemy import event, select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market import board, board_html, catalogue, demand, goals, redemptions
from pojo.market.board import PAGE_SIZE
from pojo.market.models import Redemption, Reward
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points
from tests.query_count import statements_for
from tests.test_market_api import api_client


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
    assert board_prices(watcher) == [300]  # this worker has now cached the board
    other_worker = make_app().test_client()
    login(other_worker, buyer)
    response = other_worker.post("/market/redeem", data=redeem_form(reward_id, 300, "w2"))
    assert response.status_code == 302
    assert board_prices(watcher) == [324]
    assert "324" in watcher.get("/market").get_data(as_text=True)


def test_cancelled_redemption_puts_the_unit_back_on_the_board_at_once(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app, stock=1)
    agent.post("/market/redeem", data=redeem_form(reward_id, 300, "last-one"))
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
        catalogue.update_reward(None, reward_id, name_en="Massage 60 min")
    assert "Massage 60 min" in agent.get("/market").get_data(as_text=True)


def test_price_falls_on_the_board_the_moment_it_eases_down_with_time(
    app, client_as, make_employee, monkeypatch
):
    agent = client_as("agent")
    buyer = make_employee()
    give_points(app, buyer, 1000)
    now = utcnow()
    reward_id = add_reward(app, at=now - timedelta(days=10))
    with app.app_context(), unit_of_work():
        redemptions.redeem(get_employee(buyer), reward_id, 600, at=now)
    with app.app_context():
        falls = demand.next_fall([db.session.get(Reward, reward_id)], now)
    # Opened at 300, eased to 277 in ten days; one redemption: 8 % more, 299.
    assert board_prices(agent) == [299]  # cached now, with nothing written later
    monkeypatch.setattr(board, "utcnow", lambda: falls - timedelta(seconds=2))
    assert board_prices(agent) == [299]
    monkeypatch.setattr(board, "utcnow", lambda: falls)
    assert board_prices(agent) == [298]


def test_each_viewer_sees_their_own_buttons_and_goal_on_the_shared_board(app, client_as):
    rich, poor = client_as("agent"), client_as("agent")
    give_points(app, rich.username, 1000)
    give_points(app, poor.username, 100)
    reward_id = add_reward(app)
    poor.post("/market/goal", data={"reward": reward_id})
    rich_page = rich.get("/market").get_data(as_text=True)
    poor_page = poor.get("/market").get_data(as_text=True)
    assert "Redeem · 300 points" in rich_page and "more points needed" not in rich_page
    assert "200 more points needed" in poor_page and "Redeem · 300 points" not in poor_page
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
        catalogue.update_reward(None, reward_id, active=False)
    page = agent.get("/market").get_data(as_text=True)
    assert "Your goal" in page and "Spa day" in page


def test_board_body_is_drawn_once_per_version_and_language(
    app, client_as, make_employee, login, monkeypatch
):
    drawn = []
    draw_body = board_html._draw_body

    def counting_draw_body(facts):
        drawn.append((facts.category, facts.page.page))
        return draw_body(facts)

    monkeypatch.setattr(board_html, "_draw_body", counting_draw_body)
    reward_id = add_reward(app)
    first, second = client_as("agent"), client_as("agent")
    give_points(app, first.username, 1000)
    finnish = app.test_client()
    login(finnish, make_employee(language="fi"))
    assert first.get("/market").status_code == second.get("/market").status_code == 200
    assert drawn == [(None, 1)]  # two viewers, one body
    finnish.get("/market")
    assert len(drawn) == 2  # one more for the other language
    first.post("/market/redeem", data=redeem_form(reward_id, 300, "once"))
    second.get("/market")
    first.get("/market")
    assert len(drawn) == 3  # a new market version is drawn again, once


def test_cached_board_page_costs_one_statement(app, make_employee):
    username = make_employee()
    give_points(app, username, 100)
    reward_id = add_reward(app)
    with app.app_context(), unit_of_work():
        goals.set_goal(get_employee(username), reward_id)
    seen = []

    def count(*args):
        seen.append(args[2])

    with app.test_request_context("/market"):
        employee = get_employee(username)
        board.board_page(employee, "en", None, 1)  # builds and draws
        # Counted in this request's session: the board's own statements, not the shared path's.
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            body = board.board_page(employee, "en", None, 1)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(seen) == 1  # the version, with the viewer's balance and goal
    assert "200 points to go" in body and "is-goal" in body


def rewards_as_listed_before_the_cache(app, language: str) -> list[dict]:
    """GET /api/v1/rewards as it was computed on every request, straight from the database."""
    with app.app_context():
        return [
            {
                "id": row.reward.id,
                "name": row.reward.name(language),
                "category": row.reward.category,
                "price": row.price,
                "base_price": row.reward.base_price,
                "floor_price": row.reward.floor_price,
                "ceiling_price": row.reward.ceiling_price,
                "stock_left": row.reward.stock,
                "change_24h_pct": row.change_24h_pct,
            }
            for row in board.board_rows()
        ]


def test_api_rewards_come_from_the_cached_board_unchanged(app, make_employee):
    buyer = make_employee(language="fi")
    give_points(app, buyer, 1000)
    massage = add_reward(app, stock=2, at=utcnow() - timedelta(days=2))
    add_reward(app, name_en="Hoodie", name_fi="Huppari", category="item")
    client = api_client(app, buyer)
    assert client.get("/api/v1/rewards").get_json() == rewards_as_listed_before_the_cache(app, "fi")
    client.post("/api/v1/redemptions", json={"reward": massage, "max_price": 600})
    listed = client.get("/api/v1/rewards")
    assert listed.get_json() == rewards_as_listed_before_the_cache(app, "fi")
    # Opened at 300 two days ago, eased to 294; one redemption adds 8 %.
    assert [row["price"] for row in listed.get_json() if row["id"] == massage] == [317]
    english = api_client(app, make_employee(language="en"))
    assert english.get("/api/v1/rewards").get_json() == rewards_as_listed_before_the_cache(
        app, "en"
    )
    cached = statements_for(app, english, "/api/v1/rewards")
    for n in range(3 * PAGE_SIZE):
        add_reward(app, name_en=f"Reward {n}")
    building = statements_for(app, english, "/api/v1/rewards")
    assert statements_for(app, english, "/api/v1/rewards") == cached < building
