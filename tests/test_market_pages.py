"""Pojopörssi as people use it: the board, redeeming, goals, and HR's pages."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.ledger.service import balance_of
from pojo.market import catalogue
from pojo.market.models import Redemption, Reward
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.conftest import csrf_token_from
from tests.market_helpers import add_reward, give_points


def redeem_form(reward_id, max_price, request_id="form-1"):
    return {"reward": reward_id, "max_price": max_price, "request_id": request_id}


def balance(app, username):
    with app.app_context():
        return balance_of(get_employee(username).id)


def redemption_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Redemption))


def test_agents_start_on_the_board(client_as):
    response = client_as("agent").get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/market")


def test_board_lists_active_rewards_with_prices_and_redeem_buttons(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    add_reward(app, name_en="Massage", stock=3)
    add_reward(app, name_en="Hoodie", category="item", base_price=250, floor_price=150)
    add_reward(app, name_en="Retired perk", active=False)
    page = agent.get("/market").get_data(as_text=True)
    assert "Massage" in page and "Hoodie" in page
    assert "Retired perk" not in page
    assert "Redeem · 300 points" in page  # a new reward opens at its base price
    assert "Redeem · 250 points" in page
    assert "3 left" in page
    assert "Unlimited" in page
    assert "1,000" in page  # the balance is on the board


def test_board_says_how_many_points_are_missing(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 100)
    add_reward(app)
    page = agent.get("/market").get_data(as_text=True)
    assert "200 more points needed" in page
    assert "Redeem · 300 points" not in page


def test_board_filters_by_category(app, client_as):
    agent = client_as("agent")
    add_reward(app, name_en="Massage", category="wellbeing")
    add_reward(app, name_en="Hoodie", category="item", base_price=250, floor_price=150)
    page = agent.get("/market?category=item").get_data(as_text=True)
    assert "Hoodie" in page and "Massage" not in page


def test_board_refresh_reports_the_new_price_after_redemptions(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    # On the market for two days: it has a price from 24 hours ago.
    reward_id = add_reward(app, at=utcnow() - timedelta(days=2))
    first = agent.get("/market/board.json").get_json()
    assert first["balance"] == 1000
    assert [(r["id"], r["price"], r["action"]["state"]) for r in first["rewards"]] == [
        (reward_id, 294, "redeem")  # opened at 300, eased down for two days
    ]
    agent.post("/market/redeem", data=redeem_form(reward_id, 294))
    after = agent.get("/market/board.json").get_json()
    row = after["rewards"][0]
    assert row["price"] == 317  # one redemption raised it, by less than 8 %
    assert row["action"]["text"] == "Redeem · 317 points"
    assert row["change_24h"]["direction"] == "up"
    assert row["change_24h"]["pct"] == pytest.approx(6.7)  # 297 a day ago, 317 now
    assert after["balance"] == 706


def test_new_reward_has_no_24_hour_change_yet(app, client_as):
    agent = client_as("agent")
    add_reward(app)
    (row,) = agent.get("/market/board.json").get_json()["rewards"]
    assert row["change_24h"] == {
        "direction": "none",
        "label": "No history yet",
        "pct": None,
        "text": "–",
    }


def test_board_refresh_needs_a_login(app, client):
    response = client.get("/market/board.json")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fmarket%2Fboard.json"


def test_redeem_at_shown_price_charges_it_and_shows_in_wallet(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app, name_en="Massage")
    response = agent.post("/market/redeem", data=redeem_form(reward_id, 300))
    assert response.status_code == 302 and response.headers["Location"].endswith("/wallet")
    wallet = agent.get("/wallet").get_data(as_text=True)
    assert "You redeemed Massage for 300 points" in wallet
    assert "Waiting for hand-over" in wallet and "Massage" in wallet
    assert ">700<" in wallet
    assert balance(app, agent.username) == 700


def test_redemption_refused_when_price_moved_shows_new_price_and_redeems_at_it(app, client_as):
    agent, colleague = client_as("agent"), client_as("agent")
    give_points(app, agent.username, 1000)
    give_points(app, colleague.username, 1000)
    reward_id = add_reward(app, name_en="Massage")
    page_price = 300  # what the agent saw before the colleague redeemed
    colleague.post("/market/redeem", data=redeem_form(reward_id, page_price, "first"))
    response = agent.post("/market/redeem", data=redeem_form(reward_id, page_price, "second"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The price moved from 300 to 324 points; nothing was charged." in page
    assert balance(app, agent.username) == 1000
    new_price = re.search(r'name="max_price" type="hidden" value="(\d+)"', page)
    request_id = re.search(r'name="request_id" type="hidden" value="([^"]+)"', page)
    assert new_price.group(1) == "324"
    again = agent.post("/market/redeem", data=redeem_form(reward_id, 324, request_id.group(1)))
    assert again.status_code == 302
    assert balance(app, agent.username) == 676


def test_double_submitted_redeem_form_redeems_once(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app)
    for _ in range(2):
        agent.post("/market/redeem", data=redeem_form(reward_id, 300, "same-form"))
    assert redemption_count(app) == 1
    assert balance(app, agent.username) == 700


def test_sold_out_reward_is_refused_with_a_message(app, client_as):
    first, second = client_as("agent"), client_as("agent")
    for agent in (first, second):
        give_points(app, agent.username, 1000)
    reward_id = add_reward(app, stock=1)
    assert first.post("/market/redeem", data=redeem_form(reward_id, 300, "a")).status_code == 302
    response = second.post("/market/redeem", data=redeem_form(reward_id, 500, "b"))
    assert response.status_code == 409
    assert "Sold out" in response.get_data(as_text=True)
    assert balance(app, second.username) == 1000
    assert "Sold out" in second.get("/market").get_data(as_text=True)


def test_redeem_without_enough_points_is_refused_and_changes_nothing(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 50)
    reward_id = add_reward(app)
    response = agent.post("/market/redeem", data=redeem_form(reward_id, 300))
    assert response.status_code == 422
    assert "Not enough points" in response.get_data(as_text=True)
    assert redemption_count(app) == 0


def test_tampered_redeem_form_is_refused(app, client_as):
    agent = client_as("agent")
    reward_id = add_reward(app)
    give_points(app, agent.username, 1000)
    incomplete = "The form was incomplete or had expired. Nothing was charged"
    for data, status, says in (
        ({"reward": reward_id, "request_id": "x"}, 400, incomplete),
        ({"reward": "abc", "max_price": "-3", "request_id": "x"}, 400, incomplete),
        ({"reward": 99999, "max_price": 600, "request_id": "x"}, 404, "No such reward."),
    ):
        response = agent.post("/market/redeem", data=data)
        assert response.status_code == status, data
        assert says in response.get_data(as_text=True)
    assert redemption_count(app) == 0
    with app.app_context():
        assert balance_of(get_employee(agent.username).id) == 1000


def test_board_form_works_with_csrf_on(app, make_app, make_employee):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    username = make_employee()
    give_points(csrf_app, username, 1000)
    reward_id = add_reward(csrf_app)
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={
            "username": username,
            "password": "correct horse 1",
            "csrf_token": csrf_token_from(page),
        },
    )
    board = client.get("/market").get_data(as_text=True)
    request_id = re.search(r'name="request_id" value="([^"]+)"', board).group(1)
    data = redeem_form(reward_id, 300, request_id)
    assert client.post("/market/redeem", data=data).status_code == 400  # no token
    data["csrf_token"] = csrf_token_from(board)
    assert client.post("/market/redeem", data=data).status_code == 302


def test_goal_shows_a_progress_bar_in_the_wallet_and_on_the_board(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 150)
    reward_id = add_reward(app, name_en="Massage")
    response = agent.post("/market/goal", data={"reward": reward_id})
    assert response.status_code == 302
    wallet = agent.get("/wallet").get_data(as_text=True)
    assert re.search(r'<progress max="100" value="50"', wallet)
    assert "150 points to go" in wallet
    assert "Massage" in wallet
    board = agent.get("/market").get_data(as_text=True)
    assert "Your goal" in board and "is-goal" in board


def test_wallet_without_goal_tells_how_to_pin_one(client_as):
    wallet = client_as("agent").get("/wallet").get_data(as_text=True)
    assert "No goal yet" in wallet and "Set as my goal" in wallet


def test_clearing_the_goal_removes_the_bar(app, client_as):
    agent = client_as("agent")
    reward_id = add_reward(app)
    agent.post("/market/goal", data={"reward": reward_id})
    assert agent.post("/market/goal/clear").status_code == 302
    assert "<progress" not in agent.get("/wallet").get_data(as_text=True)


def test_reward_page_shows_price_chart_with_a_text_alternative(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app, name_en="Massage", description_en="Forty-five minutes.")
    agent.post("/market/redeem", data=redeem_form(reward_id, 300))
    page = agent.get(f"/market/rewards/{reward_id}").get_data(as_text=True)
    assert "Forty-five minutes." in page
    assert 'data-chart="price"' in page and "vendor/chart/chart.umd.js" in page
    assert "It is now 324 points" in page  # the redemption raised it
    assert "Redeemed 1 time in the last 30 days" in page
    assert "Set as my goal" in page
    assert "Redeem · 324 points" in page


def test_unknown_reward_page_is_not_found(client_as):
    assert client_as("agent").get("/market/rewards/4242").status_code == 404


def png_bytes(size=(64, 48), fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def reward_form(**fields):
    data = {
        "name_en": "Spa day",
        "name_fi": "Kylpyläpäivä",
        "description_en": "A day at the spa",
        "description_fi": "Päivä kylpylässä",
        "category": "wellbeing",
        "base_price": "900",
        "floor_price": "",
        "ceiling_price": "",
        "expected_per_30d": "2",
        "stock": "",
        "per_person_limit": "1",
        "limit_period": "quarter",
        "active": "y",
    }
    data.update(fields)
    return data


def test_hr_creates_a_reward_with_an_image_served_with_its_type(app, client_as):
    hr = client_as("hr", team="Office")
    data = reward_form(image=(io.BytesIO(png_bytes(fmt="JPEG")), "spa.jpg"))
    response = hr.post("/market/admin/rewards/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        reward = db.session.scalars(select(Reward)).one()
        assert (reward.floor_price, reward.ceiling_price, reward.per_person_limit) == (540, 1800, 1)
        reward_id = reward.id
    image = hr.get(f"/market/rewards/{reward_id}/image")
    assert image.status_code == 200 and image.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(image.data)).format == "JPEG"
    assert "Spa day" in hr.get("/market/admin/rewards").get_data(as_text=True)


def test_fake_image_upload_is_refused_and_nothing_is_saved(app, client_as):
    hr = client_as("hr", team="Office")
    fake = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "cute.png")
    response = hr.post(
        "/market/admin/rewards/new",
        data=reward_form(image=fake),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "not an image" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reward)) == 0


def test_reward_form_shows_the_services_refusal_at_the_field(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/market/admin/rewards/new",
        data=reward_form(floor_price="950", ceiling_price="1000"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reward)) == 0


def test_hr_edits_a_reward_and_withdraws_it_from_the_board(app, client_as):
    hr = client_as("hr", team="Office")
    reward_id = add_reward(app, name_en="Massage")
    form = hr.get(f"/market/admin/rewards/{reward_id}/edit").get_data(as_text=True)
    assert 'value="Massage"' in form
    response = hr.post(
        f"/market/admin/rewards/{reward_id}/edit",
        data=reward_form(
            name_en="Massage 60 min",
            base_price="300",
            floor_price="180",
            ceiling_price="600",
            expected_per_30d="4",
            per_person_limit="",
            limit_period="",
            active="",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert (reward.name_en, reward.active) == ("Massage 60 min", False)
    assert "Massage 60 min" not in client_as("agent").get("/market").get_data(as_text=True)


def redeemed(app, agent, reward_id):
    agent.post("/market/redeem", data=redeem_form(reward_id, 500))
    with app.app_context():
        return db.session.scalars(select(Redemption.id)).one()


def test_hr_fulfils_a_redemption_and_the_agent_is_notified(app, client_as):
    agent, hr = client_as("agent"), client_as("hr", team="Office")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app, name_en="Massage")
    redemption_id = redeemed(app, agent, reward_id)
    queue = hr.get("/market/admin/redemptions").get_data(as_text=True)
    assert agent.username.title() in queue and "Massage" in queue
    response = hr.post(f"/market/admin/redemptions/{redemption_id}/fulfil")
    assert response.status_code == 302
    assert "Nothing waiting" in hr.get("/market/admin/redemptions").get_data(as_text=True)
    page = agent.get("/market/redemptions").get_data(as_text=True)
    assert "Handed over" in page
    assert re.search(r"data-unread\s*>1<", page)  # the bell
    assert "Massage" in agent.get("/notifications").get_data(as_text=True)


def test_hr_cancels_with_a_reason_the_points_come_back_and_the_agent_is_notified(app, client_as):
    agent, hr = client_as("agent"), client_as("hr", team="Office")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app, name_en="Massage", stock=2)
    redemption_id = redeemed(app, agent, reward_id)
    response = hr.post(
        f"/market/admin/redemptions/{redemption_id}/cancel",
        data={"reason": "The masseur is on sick leave"},
    )
    assert response.status_code == 302
    assert balance(app, agent.username) == 1000
    page = agent.get("/market/redemptions").get_data(as_text=True)
    assert "Cancelled, refunded" in page and "The masseur is on sick leave" in page
    assert "The masseur is on sick leave" in agent.get("/notifications").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Reward, reward_id).stock == 2


def test_cancel_without_a_reason_is_refused_and_changes_nothing(app, client_as):
    agent, hr = client_as("agent"), client_as("hr", team="Office")
    give_points(app, agent.username, 1000)
    redemption_id = redeemed(app, agent, add_reward(app))
    response = hr.post(f"/market/admin/redemptions/{redemption_id}/cancel", data={"reason": ""})
    assert response.status_code == 422
    assert "Tell the employee why" in response.get_data(as_text=True)
    assert balance(app, agent.username) == 700


def test_deciding_twice_says_it_was_already_decided(app, client_as):
    agent, hr = client_as("agent"), client_as("hr", team="Office")
    give_points(app, agent.username, 1000)
    redemption_id = redeemed(app, agent, add_reward(app))
    hr.post(f"/market/admin/redemptions/{redemption_id}/fulfil")
    hr.post(f"/market/admin/redemptions/{redemption_id}/cancel", data={"reason": "oops"})
    assert "already been decided" in hr.get("/market/admin/redemptions").get_data(as_text=True)
    assert balance(app, agent.username) == 700


def test_agent_cannot_reach_the_admin_pages(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 1000)
    reward_id = add_reward(app)
    redemption_id = redeemed(app, agent, reward_id)
    for path in (
        "/market/admin/rewards",
        "/market/admin/rewards/new",
        f"/market/admin/rewards/{reward_id}/edit",
        "/market/admin/redemptions",
    ):
        assert agent.get(path).status_code == 403, path
    assert agent.post(f"/market/admin/redemptions/{redemption_id}/fulfil").status_code == 403
    cancel = agent.post(f"/market/admin/redemptions/{redemption_id}/cancel", data={"reason": "x"})
    assert cancel.status_code == 403
    assert balance(app, agent.username) == 700


def test_market_navigation_for_agents_and_hr(client_as):
    agent_nav = client_as("agent").get("/wallet").get_data(as_text=True)
    assert 'href="/market"' in agent_nav and "/market/admin/rewards" not in agent_nav
    hr_nav = client_as("hr", team="Office").get("/wallet").get_data(as_text=True)
    assert "/market/admin/rewards" in hr_nav and "/market/admin/redemptions" in hr_nav


def test_reward_page_says_where_the_price_rests_without_demand(app, client_as):
    agent = client_as("agent")
    reward_id = add_reward(app, name_en="Massage")
    page = agent.get(f"/market/rewards/{reward_id}").get_data(as_text=True)
    # 300 at 4 a month; with no demand 300 × 1.08^-2.69 ≈ 244 (above the floor of 180).
    assert "300 points at normal demand; with none it eases down to 244; at most 600" in page


def test_a_withdrawn_rewards_image_is_gone_for_agents_but_not_for_hr(app, client_as):
    agent, hr = client_as("agent"), client_as("hr", team="Office")
    reward_id = add_reward(app, image=png_bytes(), image_type="image/png")
    assert agent.get(f"/market/rewards/{reward_id}/image").status_code == 200
    with app.app_context(), unit_of_work():
        catalogue.update_reward(None, reward_id, active=False)
    assert agent.get(f"/market/rewards/{reward_id}/image").status_code == 404
    assert hr.get(f"/market/rewards/{reward_id}/image").status_code == 200
