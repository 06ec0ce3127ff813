"""Concurrent redemptions: many clients at once, each in its own session.

Every client is a thread with its own application context (so its own
session and connection), released together by a barrier.
"""

import threading

from sqlalchemy import func, select

from pojo.errors import DomainError
from pojo.extensions import db
from pojo.ledger.service import balance_of
from pojo.market import redemptions
from pojo.market.models import Redemption, Reward
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points

CLIENTS = 16


def run_together(app, attempts):
    """Run each (username, reward_id, max_price, request_id) at once; outcomes in order."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def client(index, username, reward_id, max_price, request_id):
        with app.app_context():
            employee = get_employee(username)
            db.session.rollback()  # start the race with no transaction open
            barrier.wait()
            try:
                with unit_of_work():
                    redemptions.redeem(employee, reward_id, max_price, request_id=request_id)
                outcomes[index] = "redeemed"
            except DomainError as error:
                outcomes[index] = error.code

    threads = [
        threading.Thread(target=client, args=(index, *attempt))
        for index, attempt in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_sixteen_clients_and_one_last_unit_exactly_one_gets_it(app, make_employee):
    agents = [make_employee() for _ in range(CLIENTS)]
    for agent in agents:
        give_points(app, agent, 1000)
    reward_id = add_reward(app, stock=1)
    outcomes = run_together(app, [(agent, reward_id, 600, None) for agent in agents])
    assert sorted(outcomes) == ["out_of_stock"] * (CLIENTS - 1) + ["redeemed"]
    with app.app_context():
        assert db.session.get(Reward, reward_id).stock == 0
        assert db.session.scalar(select(func.count()).select_from(Redemption)) == 1
        charged = [a for a in agents if balance_of(get_employee(a).id) < 1000]
        assert len(charged) == 1


def test_one_balance_cannot_pay_for_two_rewards_at_once(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 320)  # enough for one at 300, not two
    first = add_reward(app)
    second = add_reward(app, name_en="Spa day")
    outcomes = run_together(app, [(agent, first, 600, None), (agent, second, 600, None)])
    assert sorted(outcomes) == ["insufficient_points", "redeemed"]
    with app.app_context():
        assert balance_of(get_employee(agent).id) == 20


def test_many_clients_spending_one_balance_never_overdraw_it(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)  # three redemptions at the opening price of 300
    rewards = [add_reward(app, name_en=f"Reward {n}") for n in range(CLIENTS)]
    outcomes = run_together(app, [(agent, reward, 600, None) for reward in rewards])
    assert outcomes.count("redeemed") == 3
    assert outcomes.count("insufficient_points") == CLIENTS - 3
    with app.app_context():
        assert balance_of(get_employee(agent).id) == 1000 - 3 * 300


def test_double_submitted_form_racing_itself_makes_one_redemption(app, make_employee):
    agent = make_employee()
    give_points(app, agent, 1000)
    reward_id = add_reward(app)
    outcomes = run_together(app, [(agent, reward_id, 600, "same-form")] * 4)
    assert outcomes == ["redeemed"] * 4
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Redemption)) == 1
        assert balance_of(get_employee(agent).id) == 700
