"""The ledger never loses or invents a point: balances, reversals, concurrency."""

import threading

import pytest
from sqlalchemy import select

from pojo.errors import InsufficientPoints
from pojo.extensions import db
from pojo.ledger import service as ledger
from pojo.ledger.models import LedgerEntry
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import give_points


def test_balance_equals_sum_of_entries(app, make_employee):
    username = make_employee()
    give_points(app, username, 20)
    give_points(app, username, 30)
    with app.app_context():
        assert ledger.balance_of(get_employee(username).id) == 50


def test_reversal_compensates_and_keeps_the_original(app, client_as, make_employee):
    username = make_employee()
    entry_id = give_points(app, username, 20)
    hr = client_as("hr", team="Office")
    response = hr.post(
        f"/ledger/entries/{entry_id}/reverse", data={"reason": "awarded to the wrong person"}
    )
    assert response.status_code == 302
    with app.app_context():
        entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert [e.points for e in entries] == [20, -20]
        assert entries[1].reverses_id == entry_id
        assert ledger.balance_of(get_employee(username).id) == 0


def test_an_entry_cannot_be_reversed_twice(app, client_as, make_employee):
    entry_id = give_points(app, make_employee(), 20)
    hr = client_as("hr", team="Office")
    hr.post(f"/ledger/entries/{entry_id}/reverse", data={"reason": "mistake"})
    response = hr.post(
        f"/ledger/entries/{entry_id}/reverse", data={"reason": "again"}, follow_redirects=True
    )
    assert "already been reversed" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(LedgerEntry)).all()) == 2


def test_supervisor_cannot_reverse(app, client_as, make_employee):
    entry_id = give_points(app, make_employee(team="Alpha"), 20)
    supervisor = client_as("supervisor", team="Alpha")
    assert (
        supervisor.post(f"/ledger/entries/{entry_id}/reverse", data={"reason": "x"}).status_code
        == 403
    )


def test_balance_never_goes_negative(app, make_employee):
    username = make_employee()
    give_points(app, username, 10)
    with app.app_context(), pytest.raises(InsufficientPoints), unit_of_work():
        ledger.post_entry(get_employee(username).id, -11, "redemption", actor=None)
    with app.app_context():
        assert ledger.balance_of(get_employee(username).id) == 10


def test_who_may_read_a_ledger(app, client_as, make_employee):
    agent = make_employee("aino", team="Alpha")
    assert client_as("supervisor", team="Alpha").get(f"/people/{agent}/ledger").status_code == 200
    assert client_as("supervisor", team="Beta").get(f"/people/{agent}/ledger").status_code == 403
    assert client_as("hr", team="Office").get(f"/people/{agent}/ledger").status_code == 200
    assert client_as("agent", team="Alpha").get(f"/people/{agent}/ledger").status_code == 403


def run_at_once(app, count, action):
    """Run `action()` in `count` threads started together; return what each returned or raised."""
    results = []
    barrier = threading.Barrier(count)

    def worker():
        with app.app_context():
            barrier.wait()
            try:
                with unit_of_work():
                    action()
                results.append("ok")
            except Exception as error:  # noqa: BLE001 - the refusal is the result
                results.append(getattr(error, "code", type(error).__name__))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_reversals_of_one_entry_reverse_it_once(app, make_employee):
    entry_id = give_points(app, make_employee(), 20)
    hr_username = make_employee(role="hr", team="Office")

    def reverse():
        ledger.reverse_entry(entry_id, actor=get_employee(hr_username), reason="double click")

    results = run_at_once(app, 8, reverse)
    assert results.count("ok") == 1
    assert results.count("conflict") == 7
    with app.app_context():
        assert len(db.session.scalars(select(LedgerEntry)).all()) == 2


def test_concurrent_awards_never_exceed_the_team_budget(app, make_employee):
    from pojo.awards import service as awards
    from pojo.people.service import get_or_create_team

    with app.app_context(), unit_of_work():
        get_or_create_team("Alpha").monthly_award_budget = 60
    supervisors = [make_employee(role="supervisor", team="Alpha") for _ in range(2)]
    agent = make_employee(team="Alpha")
    turn = iter(range(100))

    def award():
        supervisor = get_employee(supervisors[next(turn) % 2])
        awards.award(supervisor, agent, "fcr", "great call")

    results = run_at_once(app, 10, award)
    assert results.count("ok") == 3  # 3 x 20 points fill the budget of 60
    assert results.count("over_budget") == 7
    with app.app_context():
        assert ledger.balance_of(get_employee(agent).id) == 60
