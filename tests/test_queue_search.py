"""Search and filters on HR's redemption list: the pending queue by default, any status on ask."""

import re
from datetime import timedelta

import pytest

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market import redemptions
from pojo.market.models import Redemption
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points


def listed(response) -> list[str]:
    """(reward, person) of each listed redemption, in order, as "reward/person"."""
    page = response.get_data(as_text=True)
    items = re.findall(r"<strong>([^<]+)</strong>\s*<span>([^<·]+)", page)
    return [f"{reward.strip()}/{person.strip()}" for reward, person in items]


@pytest.fixture
def queue(app, make_employee):
    make_employee("hr.boss", role="hr", team="Office")
    make_employee("anna", team="Alpha", display_name="Anna Äijälä")
    make_employee("bo", team="Beta", display_name="Bo Berg")
    cinema = add_reward(app, name_en="Cinema_night", name_fi="Leffailta")
    lunch = add_reward(app, name_en="Lunch", name_fi="Lounas")
    for username in ("anna", "bo"):
        give_points(app, username, 5000)
    with app.app_context(), unit_of_work():
        anna, bo = get_employee("anna"), get_employee("bo")
        first = redemptions.redeem(anna, cinema, 100_000)
        redemptions.redeem(bo, lunch, 100_000)
        handed = redemptions.redeem(bo, cinema, 100_000)
        handed_id, first_id = handed.id, first.id
    with app.app_context(), unit_of_work():
        redemptions.fulfil(get_employee("hr.boss"), handed_id)
        db.session.get(Redemption, first_id).created_at = utcnow() - timedelta(days=60)
    return {"cinema": cinema, "lunch": lunch}


def test_the_queue_lists_pending_redemptions_oldest_first(client_as, queue):
    hr = client_as("hr", team="Office")
    assert listed(hr.get("/market/admin/redemptions")) == [
        "Cinema_night/Anna Äijälä",
        "Lunch/Bo Berg",
    ]


def test_search_matches_person_or_reward_in_either_language(client_as, queue):
    hr = client_as("hr", team="Office")
    assert listed(hr.get("/market/admin/redemptions?q=ÄIJÄ")) == ["Cinema_night/Anna Äijälä"]
    assert listed(hr.get("/market/admin/redemptions?q=lounas")) == ["Lunch/Bo Berg"]
    assert listed(hr.get("/market/admin/redemptions?q=n_g")) == []  # "_" is no wildcard
    assert listed(hr.get("/market/admin/redemptions?q=a_n")) == ["Cinema_night/Anna Äijälä"]


def test_status_reward_team_and_day_filters(app, client_as, queue):
    hr = client_as("hr", team="Office")
    with app.app_context():
        beta = get_employee("bo").team_id
    done = hr.get("/market/admin/redemptions?status=fulfilled")
    assert listed(done) == ["Cinema_night/Bo Berg"]
    assert "Handed over</button>" not in done.get_data(as_text=True)  # nothing to act on
    cinema = queue["cinema"]
    assert listed(hr.get(f"/market/admin/redemptions?status=any&reward={cinema}")) == [
        "Cinema_night/Bo Berg",
        "Cinema_night/Anna Äijälä",
    ]
    assert listed(hr.get(f"/market/admin/redemptions?team={beta}")) == ["Lunch/Bo Berg"]
    month_ago = (utcnow() - timedelta(days=30)).date().isoformat()
    assert listed(hr.get(f"/market/admin/redemptions?since={month_ago}")) == ["Lunch/Bo Berg"]
    page = hr.get("/market/admin/redemptions?status=cancelled").get_data(as_text=True)
    assert "No redemption matches these filters." in page and "1 match" not in page


@pytest.mark.parametrize(
    "query",
    ["status=lost", "reward=2147483648", "team=-1", "until=2026-00-01", "q=" + "q" * 100_000],
)
def test_bad_filters_get_a_message_not_a_500(client_as, queue, query):
    response = client_as("hr", team="Office").get(f"/market/admin/redemptions?{query}")
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_no_match_offers_to_clear(client_as, queue):
    page = client_as("hr", team="Office").get("/market/admin/redemptions?q=zzz")
    text = page.get_data(as_text=True)
    assert "No redemption matches “zzz”." in text and "Clear the search" in text
