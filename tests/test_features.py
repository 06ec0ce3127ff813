"""Features plug in per app: what one app registers never reaches another made in the same process."""

import pytest

from pojo import FEATURES
from pojo.features import Feature, installed, register_feature
from pojo.ledger.service import Credit, post_credits, post_entry
from pojo.people.service import get_employee
from pojo.signals import points_credited
from pojo.unit_of_work import unit_of_work
from tests.test_api import api_client

WITHOUT_MARKET = tuple(name for name in FEATURES if name != "pojo.market")


def nav_endpoints(app) -> list[str]:
    return [item.endpoint for item in installed(app).nav]


def me_properties(app) -> set[str]:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    ok = document["paths"]["/api/v1/me"]["get"]["responses"]["200"]
    return set(ok["content"]["application/json"]["schema"]["properties"])


def test_an_app_without_the_market_has_none_of_its_registrations(app, make_app, make_employee):
    bare = make_app(features=WITHOUT_MARKET)
    agent = make_employee()

    assert "market.board" in nav_endpoints(app)
    assert not [endpoint for endpoint in nav_endpoints(bare) if endpoint.startswith("market.")]
    assert "goal" in api_client(app, agent).get("/api/v1/me").get_json()
    assert "goal" not in api_client(bare, agent).get("/api/v1/me").get_json()
    assert "goal" in me_properties(app) and "goal" not in me_properties(bare)
    assert "price_tick" in installed(app).jobs and "price_tick" not in installed(bare).jobs
    assert "redemption" not in installed(bare).references
    assert len(installed(bare).checks) < len(installed(app).checks)
    # The agent starts on the board only where the market is.
    for made, start in ((app, "/market"), (bare, "/wallet")):
        client = made.test_client()
        client.post("/login", data={"username": agent, "password": "correct horse 1"})
        assert client.get("/").location.endswith(start)


def test_nav_keeps_its_order_and_the_manage_group(app):
    assert nav_endpoints(app) == [
        "market.board",
        "ledger.wallet",
        "shifts.mine",
        "swaps.board_page",
        "awards.catalogue",
        "awards.new_award",
        "outcomes.index",
        "shifts.schedule",
        "insights.dashboard",
        "market.queue",
        "market.admin_rewards",
        "insights.payroll",
        "people.index",
        "history.index",
        "audit.index",
        "api_tokens.index",
    ]
    assert [item.endpoint for item in installed(app).nav if item.manage] == [
        "shifts.schedule",
        "market.queue",
        "market.admin_rewards",
        "insights.payroll",
        "people.index",
        "history.index",
        "audit.index",
        "api_tokens.index",
    ]


def test_two_features_describe_awards_in_feature_order(app):
    from pojo.awards.service import describe_awards
    from pojo.outcomes.kinds import describe_outcome_awards

    assert installed(app).references["award"] == [describe_awards, describe_outcome_awards]


def test_a_feature_registered_twice_is_refused(app):
    with pytest.raises(ValueError, match="market"):
        register_feature(app, Feature(name="market"))


def test_a_receiver_hears_each_credit_batch_once_and_only_from_its_own_app(
    app, make_app, make_employee
):
    heard = []

    def spy(sender, *, employee_ids, at):
        heard.append((sender, sorted(employee_ids)))

    register_feature(app, Feature(name="spy", receivers={points_credited: spy}))
    other = make_app()
    usernames = [make_employee() for _ in range(3)]
    with app.app_context():
        ids = sorted(get_employee(username).id for username in usernames)
    with app.app_context(), unit_of_work():
        # One batch of four credits to three employees: one call.
        post_credits([Credit(i, 5) for i in ids] + [Credit(ids[0], 7)], "bonus")
        post_entry(ids[1], 3, "bonus", actor=None)
        post_entry(ids[1], -2, "bonus", actor=None)  # a debit announces nothing
    with other.app_context(), unit_of_work():
        post_entry(ids[2], 4, "bonus", actor=None)  # another app: not this feature's
    assert heard == [(app, ids), (app, [ids[1]])]
