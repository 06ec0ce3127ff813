"""The board as a buyer reads it: rises and falls, the 7-day change, the filters, the feed."""

import re
from datetime import timedelta

from sqlalchemy import select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market import redemptions
from pojo.market.board import PAGE_SIZE
from pojo.market.models import PriceTick, Redemption
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points
from tests.query_count import statements_for

# Whatever the demand, a cheap reward costs at most 80 points and a dear one at least 1,000.
CHEAP = {"floor_price": 50, "base_price": 60, "ceiling_price": 80}
DEAR = {"floor_price": 1000, "base_price": 1200, "ceiling_price": 1500}


def listed(app, name, *, age_days=10, redeemed_days_ago=(), buyer=None, **fields) -> int:
    """A reward on the market for `age_days` days, redeemed by `buyer` that many days ago."""
    now = utcnow()
    at = now - timedelta(days=age_days)
    reward_id = add_reward(app, name_en=name, name_fi=f"{name} (fi)", at=at, **fields)
    for days in redeemed_days_ago:
        with app.app_context(), unit_of_work():
            redemptions.redeem(
                get_employee(buyer), reward_id, 100_000, at=now - timedelta(days=days)
            )
    return reward_id


def rising_and_falling(app, make_employee):
    """A reward dearer than 7 days ago, one cheaper (eased down since), one too new for a change."""
    buyer = make_employee()
    give_points(app, buyer, 20_000)
    rising = listed(
        app, "Cinema tickets", category="experience", buyer=buyer, redeemed_days_ago=(2, 1)
    )
    falling = listed(app, "Hoodie", category="item")
    new = listed(app, "Kayak trip", category="experience", age_days=0)
    return rising, falling, new


def row_html(page: str, reward_id: int) -> str:
    match = re.search(rf'<li class="ticker[^"]*" data-reward="{reward_id}">.*?</li>', page, re.S)
    assert match, f"reward {reward_id} is not on the page"
    return match.group(0)


def seven_day_badge(row: str) -> str:
    return re.search(
        r'<span class="change change-\w+" data-change="7d">.*?</span>\s*</span>', row, re.S
    ).group(0)


def ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-reward="(\d+)"', page)]


def json_ids(client, path: str) -> list[int]:
    return [row["id"] for row in client.get(path).get_json()["rewards"]]


def test_a_rise_reads_as_dearer_and_a_fall_as_cheaper(app, make_employee, login):
    rising, falling, _new = rising_and_falling(app, make_employee)
    english, finnish = app.test_client(), app.test_client()
    login(english, make_employee())
    login(finnish, make_employee(language="fi"))
    page = english.get("/market").get_data(as_text=True)
    rise, fall = seven_day_badge(row_html(page, rising)), seven_day_badge(row_html(page, falling))
    assert "change-up" in rise and "▲" in rise and "Dearer by" in rise and "in 7 days" in rise
    assert "change-down" in fall and "▼" in fall and "Cheaper by" in fall
    fi_page = finnish.get("/market").get_data(as_text=True)
    assert "Kallistunut" in seven_day_badge(row_html(fi_page, rising))
    assert "Halventunut" in seven_day_badge(row_html(fi_page, falling))
    rows = {row["id"]: row for row in english.get("/market/board.json").get_json()["rewards"]}
    assert rows[rising]["change_7d"]["label"].startswith("Dearer by")
    assert rows[falling]["change_7d"]["label"].startswith("Cheaper by")


def test_a_reward_younger_than_a_week_says_new_with_its_sparkline(app, client_as):
    new = listed(app, "Kayak trip", age_days=3)
    agent = client_as("agent")
    row = row_html(agent.get("/market").get_data(as_text=True), new)
    badge = seven_day_badge(row)
    assert "change-new" in badge and ">New<" in badge and "New on the market" in badge
    assert "<polyline points=" in row
    (entry,) = agent.get("/market/board.json").get_json()["rewards"]
    assert entry["change_7d"]["direction"] == "new" and entry["sparkline"]


def test_falling_filter_lists_only_falling_rewards(app, make_employee, client_as):
    rising, falling, new = rising_and_falling(app, make_employee)
    agent = client_as("agent")
    assert sorted(ids(agent.get("/market").get_data(as_text=True))) == [rising, falling, new]
    page = agent.get("/market?falling=1").get_data(as_text=True)
    assert ids(page) == [falling]
    assert json_ids(agent, "/market/board.json?falling=1") == [falling]
    assert 'data-source="/market/board.json?falling=1"' in page  # board.js keeps the filter
    # With a category: the falling ones of it, and none of another.
    assert ids(agent.get("/market?falling=1&category=item").get_data(as_text=True)) == [falling]
    nothing = agent.get("/market?falling=1&category=experience").get_data(as_text=True)
    assert ids(nothing) == [] and "getting cheaper right now" in nothing
    assert 'href="/market?category=experience">Clear the filters' in nothing


def test_within_my_reach_hides_a_reward_dearer_than_the_balance(app, client_as):
    cheap = add_reward(app, name_en="Lunch", **CHEAP)
    dear = add_reward(app, name_en="Spa day", **DEAR)
    sold_out = add_reward(app, name_en="Last hoodie", stock=0, **CHEAP)
    agent = client_as("agent")
    give_points(app, agent.username, 250)
    assert sorted(ids(agent.get("/market").get_data(as_text=True))) == [cheap, dear, sold_out]
    page = agent.get("/market?reach=1").get_data(as_text=True)
    assert ids(page) == [cheap] and "Spa day" not in page
    assert json_ids(agent, "/market/board.json?reach=1") == [cheap]
    assert 'aria-current="true"' in page and "Within my reach" in page
    broke = client_as("agent")  # no points: nothing in reach, and a way back
    empty = broke.get("/market?reach=1").get_data(as_text=True)
    assert ids(empty) == [] and "within your reach right now" in empty


def test_within_my_reach_pages_by_the_viewer_balance(app, client_as):
    for n in range(PAGE_SIZE + 2):
        add_reward(app, name_en=f"Reward {n:02d}", **CHEAP)
    add_reward(app, name_en="Dear one", **DEAR)
    agent = client_as("agent")
    give_points(app, agent.username, 500)
    first = agent.get("/market?reach=1").get_data(as_text=True)
    assert len(ids(first)) == PAGE_SIZE
    assert f"Rewards 1–{PAGE_SIZE} of {PAGE_SIZE + 2}" in first
    more = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "reach=1" in more
    second = agent.get(more).get_data(as_text=True)
    assert len(ids(second)) == 2 and "Dear one" not in second
    assert len(agent.get("/market/board.json?reach=1&page=2").get_json()["rewards"]) == 2
    rich = client_as("agent")
    give_points(app, rich.username, 2000)
    rich_first = rich.get("/market?reach=1").get_data(as_text=True)
    assert f"of {PAGE_SIZE + 3}" in rich_first  # the same cached rows, this viewer's reach


def test_filter_values_the_board_does_not_know_are_no_filter(app, client_as):
    reward_ids = [add_reward(app, name_en="Lunch", **CHEAP), add_reward(app, name_en="Massage")]
    agent = client_as("agent")
    for query in (
        "falling=yes",
        "reach=2",
        "falling=&reach=",
        "category=nope&falling=0",
        "reach=1" + "1" * 5000,
        "page=-1&falling=true",
    ):
        response = agent.get(f"/market?{query}")
        assert response.status_code == 200
        assert sorted(ids(response.get_data(as_text=True))) == sorted(reward_ids)
        assert sorted(json_ids(agent, f"/market/board.json?{query}")) == sorted(reward_ids)


def test_category_links_keep_the_filters(app, client_as):
    add_reward(app, name_en="Massage", category="wellbeing")
    add_reward(app, name_en="Hoodie", category="item")
    page = client_as("agent").get("/market?falling=1&reach=1").get_data(as_text=True)
    assert 'href="/market?category=item&amp;falling=1&amp;reach=1"' in page
    assert 'href="/market?reach=1"' in page  # the falling chip turns itself off


def feed_html(page: str) -> str:
    return re.search(r"<section class=\"feed\".*?</section>", page, re.S).group(0)


def test_feed_shows_what_was_redeemed_and_the_move_but_no_name(app, make_employee, client_as):
    buyer = make_employee("hanna.virtanen", display_name="Hanna Virtanen")
    give_points(app, buyer, 5000)
    now = utcnow()
    opened = now - timedelta(days=1)
    cinema = add_reward(app, name_en="Cinema tickets for two", at=opened)
    lunch = add_reward(app, name_en="Lunch for two", at=opened)
    for reward_id, hours_ago in ((lunch, 3), (cinema, 1)):
        with app.app_context(), unit_of_work():
            redemptions.redeem(
                get_employee(buyer), reward_id, 100_000, at=now - timedelta(hours=hours_ago)
            )
    with app.app_context():
        before, after = db.session.execute(
            select(Redemption.price_paid, PriceTick.price)
            .join(
                PriceTick,
                (PriceTick.reward_id == Redemption.reward_id)
                & (PriceTick.at == Redemption.created_at),
            )
            .where(Redemption.reward_id == cinema)
        ).one()
    moved = round((after - before) * 100 / before, 1)
    agent = client_as("agent")
    page = agent.get("/market").get_data(as_text=True)
    feed = feed_html(page)
    assert feed.index("Cinema tickets for two") < feed.index("Lunch for two")  # newest first
    assert "Redeemed" in feed and "▲" in feed and "the price rose by" in feed
    assert f"{moved:.1f}%" in feed
    assert "Hanna" not in page and "hanna.virtanen" not in page
    entries = agent.get("/market/board.json").get_json()["feed"]
    assert [entry["name"] for entry in entries] == ["Cinema tickets for two", "Lunch for two"]
    assert entries[0]["move"]["pct"] == moved and entries[0]["move"]["direction"] == "up"
    assert "Hanna" not in str(entries) and "virtanen" not in str(entries)


def test_feed_shows_a_new_redemption_on_the_next_refresh_and_not_a_cancelled_one(
    app, make_employee, client_as
):
    buyer = client_as("agent")
    give_points(app, buyer.username, 5000)
    massage = add_reward(app, name_en="Massage")
    watcher = client_as("agent")
    assert watcher.get("/market/board.json").get_json()["feed"] == []
    buyer.post("/market/redeem", data={"reward": massage, "max_price": 5000, "request_id": "f1"})
    (entry,) = watcher.get("/market/board.json").get_json()["feed"]
    assert entry["name"] == "Massage" and entry["move"]["text"].startswith("▲")
    with app.app_context():
        redemption_id = db.session.scalar(select(Redemption.id))
    client_as("hr").post(
        f"/market/admin/redemptions/{redemption_id}/cancel", data={"reason": "No stock"}
    )
    assert watcher.get("/market/board.json").get_json()["feed"] == []


def test_filters_and_feed_cost_no_statement_on_a_cached_board(app, make_employee, client_as):
    rising_and_falling(app, make_employee)
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    building = statements_for(app, agent, "/market")
    cached = statements_for(app, agent, "/market")
    assert cached < building
    for path in (
        "/market?falling=1",
        "/market?reach=1&falling=1&category=item",
        "/market/board.json?reach=1",
    ):
        statements_for(app, agent, path)  # draws this page's body the first time
        assert statements_for(app, agent, path) <= cached
