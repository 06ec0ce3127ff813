"""HR changes a reward's price settings without surprises (issue 9, item 2).

The edit form previews the price the new settings would make, saving
nothing; a save applies them from that moment, and the prices recorded
before stay as they were. Time is held still (`frozen`) so the preview and
the save see the same moment.
"""

import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from pojo.database import utcnow
from pojo.errors import InvalidInput
from pojo.extensions import db
from pojo.market import board, catalogue, demand, pricing
from pojo.market.models import PriceState, PriceTick, Redemption, Reward
from pojo.market.redemptions import redeem
from pojo.people.service import find_employee
from pojo.unit_of_work import unit_of_work
from tests.conftest import csrf_token_from
from tests.form_helpers import assert_saving_unchanged_changes_nothing, form_values
from tests.market_helpers import MASSAGE, add_reward, give_points
from tests.unit.test_pricing import price_settings

EDIT = "/market/admin/rewards/{}/edit"
NEW = "/market/admin/rewards/new"
BAD_STEPS = ("0", "26", str(2**31), str(10**20), "-1", "8.5", "1e3")
BAD_HALF_LIVES = ("2", "61", str(2**31), str(10**20), "-1", "0", "14.0")


@pytest.fixture
def frozen(monkeypatch):
    """One moment for the catalogue (preview and save) and the board."""
    now = utcnow().replace(microsecond=0)
    monkeypatch.setattr(catalogue, "utcnow", lambda: now)
    monkeypatch.setattr(board, "utcnow", lambda: now)
    return now


def _row(instance) -> dict:
    return {column.key: getattr(instance, column.key) for column in instance.__mapper__.columns}


def history(app, reward_id: int) -> dict:
    """Everything a settings change could touch: the reward, its price states and ticks."""
    with app.app_context():
        return {
            "reward": _row(db.session.get(Reward, reward_id)),
            "states": [
                _row(state)
                for state in db.session.scalars(
                    select(PriceState)
                    .where(PriceState.reward_id == reward_id)
                    .order_by(PriceState.id)
                )
            ],
            "ticks": [
                _row(tick)
                for tick in db.session.scalars(
                    select(PriceTick).where(PriceTick.reward_id == reward_id).order_by(PriceTick.id)
                )
            ],
        }


def redeemed_reward(app, now, make_employee) -> tuple[int, int]:
    """A massage opened 10 days ago and redeemed 5 days ago: (reward id, its redemption id)."""
    agent = make_employee(role="agent")
    give_points(app, agent, 2000, at=now - timedelta(days=11))
    with app.app_context(), unit_of_work():
        reward = catalogue.create_reward(None, **MASSAGE, at=now - timedelta(days=10))
        done = redeem(find_employee(agent), reward.id, 1000, at=now - timedelta(days=5))
        return reward.id, done.id


def edit_data(client, url: str, **changes) -> dict:
    """What the edit form sends as shown, with `changes`."""
    page = client.get(url)
    assert page.status_code == 200
    data = dict(form_values(page.get_data(as_text=True)))
    data.update(changes)
    return data


def post(client, url: str, data: dict):
    return client.post(url, data=data, content_type="multipart/form-data")


def board_price(client) -> str:
    page = client.get("/market").get_data(as_text=True)
    return re.search(r'<strong data-field="price">([^<]+)</strong>', page).group(1)


def test_preview_shows_the_price_now_and_with_the_new_settings_and_saves_nothing(
    app, client_as, make_employee, frozen
):
    hr = client_as("hr", team="Office")
    reward_id, _ = redeemed_reward(app, frozen, make_employee)
    before = history(app, reward_id)
    changes = {"base_price": "350", "max_step_pct": "12", "half_life_days": "21", "preview": "y"}
    with app.app_context():
        expected = catalogue.preview_price(
            reward_id, base_price=350, max_step_pct=12, half_life_days=21
        )
    assert expected.price_now != expected.price_new

    response = post(hr, EDIT.format(reward_id), edit_data(hr, EDIT.format(reward_id), **changes))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        f"Price now: {expected.price_now} points → with these settings: "
        f"{expected.price_new} points (from the moment you save)."
    ) in page
    assert (
        f"Resting level with no demand: {expected.resting} points, "
        f"reached within {expected.resting_within_days} days if nobody redeems it."
    ) in page
    # The form comes back as HR filled it in, with its Save button.
    assert 'value="350"' in page and 'value="12"' in page and "Save reward" in page
    assert history(app, reward_id) == before


def test_preview_in_finnish(app, client_as, make_employee, frozen):
    hr = client_as("hr", team="Office", language="fi")
    reward_id, _ = redeemed_reward(app, frozen, make_employee)
    with app.app_context():
        expected = catalogue.preview_price(reward_id, base_price=350)
    data = edit_data(hr, EDIT.format(reward_id), base_price="350", preview="y")
    page = post(hr, EDIT.format(reward_id), data).get_data(as_text=True)
    assert (
        f"Hinta nyt: {expected.price_now} pojoa → näillä asetuksilla: "
        f"{expected.price_new} pojoa (tallennushetkestä alkaen)."
    ) in page
    assert f"Lepotaso ilman kysyntää: {expected.resting} pojoa" in page


def test_preview_of_a_new_reward_says_it_opens_at_base_and_adds_nothing(app, client_as):
    hr = client_as("hr", team="Office")
    data = edit_data(hr, NEW, name_en="Spa day", name_fi="Kylpyläpäivä", base_price="900")
    data["preview"] = "y"
    response = post(hr, NEW, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Floor and ceiling left empty: 60 % and twice the base, as a save would make them.
    settings = pricing.PriceSettings(base=900, floor=540, ceiling=1800, expected_per_30d=4)
    resting = pricing.resting_price(settings)
    assert "Opens at its base price: 900 points." in page
    assert f"Resting level with no demand: {resting} points" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reward)) == 0


def test_saving_changed_settings_applies_them_from_now_and_keeps_the_prices_before(
    app, client_as, make_employee, frozen
):
    hr = client_as("hr", team="Office")
    agent = client_as("agent")
    reward_id, redemption_id = redeemed_reward(app, frozen, make_employee)
    before = history(app, reward_id)
    moments = [frozen - timedelta(days=days) for days in (9, 5, 2)] + [frozen]
    with app.app_context():
        old_prices = demand.prices_at([db.session.get(Reward, reward_id)], moments)[reward_id]
        paid = db.session.get(Redemption, redemption_id).price_paid
        expected = catalogue.preview_price(reward_id, base_price=350, max_step_pct=12)
    assert board_price(agent) == str(old_prices[-1]) == str(expected.price_now)

    data = edit_data(hr, EDIT.format(reward_id), base_price="350", max_step_pct="12")
    assert post(hr, EDIT.format(reward_id), data).status_code == 302

    after = history(app, reward_id)
    # What was recorded stays as it was; one state more, from the moment of the save.
    assert after["states"][: len(before["states"])] == before["states"]
    assert after["ticks"] == before["ticks"]
    (change,) = after["states"][len(before["states"]) :]
    assert (change["cause"], change["at"]) == ("settings", frozen)
    assert (change["base_price"], change["max_step_pct"]) == (350, 12)
    assert (change["price_before"], change["price_after"]) == (
        expected.price_now,
        expected.price_new,
    )
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert demand.prices_at([reward], moments[:-1])[reward_id] == old_prices[:-1]
        assert demand.price_now(reward, frozen) == expected.price_new
        # Nobody redeems it: the price reaches the resting level the preview said, when it said.
        rested = frozen + timedelta(days=expected.horizon_days, seconds=1)
        assert demand.price_now(reward, rested) == expected.resting < expected.price_new
        assert db.session.get(Redemption, redemption_id).price_paid == paid
    # The board shows the new price at once (its cache follows the reward's revision).
    assert board_price(agent) == str(expected.price_new)


def test_saving_unchanged_changes_nothing_not_even_the_price_record(
    app, client_as, make_employee, frozen
):
    hr = client_as("hr", team="Office")
    reward_id, _ = redeemed_reward(app, frozen, make_employee)
    assert_saving_unchanged_changes_nothing(
        hr, EDIT.format(reward_id), lambda: history(app, reward_id)
    )
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert catalogue.preview_price(reward_id).price_now == demand.price_now(reward, frozen)


def test_a_change_outside_the_price_settings_records_no_price_state(
    app, client_as, make_employee, frozen
):
    hr = client_as("hr", team="Office")
    reward_id, _ = redeemed_reward(app, frozen, make_employee)
    before = history(app, reward_id)
    data = edit_data(hr, EDIT.format(reward_id), name_en="Massage 60 min")
    assert post(hr, EDIT.format(reward_id), data).status_code == 302
    after = history(app, reward_id)
    assert after["states"] == before["states"] and after["reward"]["name_en"] == "Massage 60 min"


@pytest.mark.parametrize("preview", [False, True])
@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("max_step_pct", v, "A whole number from 1 to 25.") for v in BAD_STEPS]
    + [("half_life_days", v, "A whole number from 3 to 60.") for v in BAD_HALF_LIVES],
)
def test_out_of_range_step_or_half_life_is_a_form_error(
    app, client_as, name, value, message, preview
):
    hr = client_as("hr", team="Office")
    reward_id = add_reward(app)
    before = history(app, reward_id)
    data = edit_data(hr, EDIT.format(reward_id), **{name: value})
    if preview:
        data["preview"] = "y"
    response = post(hr, EDIT.format(reward_id), data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = re.search(rf'<input[^>]*id="{name}"[^>]*>.*?</div>', page, re.S).group(0)
    assert f'<p class="field-error">{message}</p>' in field
    assert "Price preview" not in page
    assert history(app, reward_id) == before


def test_an_empty_step_or_half_life_means_the_engines_default(app, client_as, frozen):
    # As the help texts say ("Empty: 8", "Empty: 14"); the preview shows what it makes.
    hr = client_as("hr", team="Office")
    reward_id = add_reward(app, max_step_pct=12, half_life_days=21)
    data = edit_data(hr, EDIT.format(reward_id), max_step_pct="", half_life_days="")
    preview = post(hr, EDIT.format(reward_id), {**data, "preview": "y"})
    assert preview.status_code == 200 and "Price preview" in preview.get_data(as_text=True)
    assert post(hr, EDIT.format(reward_id), data).status_code == 302
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert (reward.max_step_pct, reward.half_life_days) == (8, 14)


@pytest.mark.parametrize(
    ("name", "value"),
    [("max_step_pct", v) for v in (0, 26, 2**31, 10**20, -1, None, True, 8.5, "8")]
    + [("half_life_days", v) for v in (2, 61, 2**31, 10**20, -1, None, False, 14.0)],
)
def test_the_catalogue_refuses_an_out_of_range_step_or_half_life(app_ctx, name, value):
    reward_id = add_reward(app_ctx)
    for call in (catalogue.update_reward, catalogue.preview_price):
        args = (None, reward_id) if call is catalogue.update_reward else (reward_id,)
        with pytest.raises(InvalidInput) as refused:
            call(*args, **{name: value})
        assert refused.value.details["field"] == name
        db.session.rollback()
    with pytest.raises(InvalidInput):
        catalogue.preview_new_reward(**{**MASSAGE, name: value})


def test_a_step_too_large_for_the_floor_is_refused_at_a_field(app, client_as):
    hr = client_as("hr", team="Office")
    reward_id = add_reward(app, floor_price=100, base_price=150, ceiling_price=300)
    before = history(app, reward_id)
    data = edit_data(hr, EDIT.format(reward_id), floor_price="60", max_step_pct="1")
    response = post(hr, EDIT.format(reward_id), data)
    assert response.status_code == 422
    assert "the floor price is at least 100 points" in response.get_data(as_text=True)
    assert history(app, reward_id) == before


def test_preview_needs_the_forms_csrf_token(app, make_app, make_employee):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    reward_id = add_reward(csrf_app)
    hr = csrf_app.test_client()
    username = make_employee(role="hr", team="Office")
    page = hr.get("/login").get_data(as_text=True)
    token = csrf_token_from(page)
    hr.post(
        "/login", data={"username": username, "password": "correct horse 1", "csrf_token": token}
    )
    data = edit_data(hr, EDIT.format(reward_id), base_price="350", preview="y")
    forged = {name: value for name, value in data.items() if name != "csrf_token"}
    refused = post(hr, EDIT.format(reward_id), forged)
    assert refused.status_code == 400 and "Price preview" not in refused.get_data(as_text=True)
    assert "Price preview" in post(hr, EDIT.format(reward_id), data).get_data(as_text=True)


def test_the_catalogue_lists_each_rewards_step_and_half_life(app, client_as):
    hr = client_as("hr", team="Office")
    add_reward(app, max_step_pct=12, half_life_days=21)
    page = hr.get("/market/admin/rewards").get_data(as_text=True)
    assert "Step · half-life" in page and "12 % · 21 d" in page


def test_preview_of_a_reward_at_rest_says_the_price_is_already_there(app, client_as, frozen):
    hr = client_as("hr", team="Office")
    with app.app_context(), unit_of_work():
        reward_id = catalogue.create_reward(None, **MASSAGE, at=frozen - timedelta(days=200)).id
    data = edit_data(hr, EDIT.format(reward_id), max_step_pct="10", preview="y")
    page = post(hr, EDIT.format(reward_id), data).get_data(as_text=True)
    with app.app_context():
        expected = catalogue.preview_price(reward_id, max_step_pct=10)
    assert expected.price_new == expected.resting
    assert (
        f"Resting level with no demand: {expected.resting} points, where the price already is."
    ) in page


@given(price_settings(), st.floats(min_value=0, max_value=1))
def test_days_to_rest_is_when_the_price_reaches_its_resting_level(found, share):
    # What the preview's "reached within N days" counts, from any demand, without redemptions.
    demand = found.bottom_demand + share * (found.top_demand - found.bottom_demand)
    start = utcnow()
    state = pricing.DemandState(demand, start)
    days = pricing.days_to_rest(found, demand)
    rest = pricing.resting_price(found)
    assert pricing.price(found, state, start + timedelta(days=days, seconds=1)) == rest
    if days > 1 / 24:
        assert pricing.price(found, state, start + timedelta(days=days, hours=-1)) > rest
