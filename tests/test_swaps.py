"""Shift swaps: the shift-swap reward's workflow through API v1, the way a client drives it."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pojo.extensions import db
from pojo.jobs.registry import run_job
from pojo.ledger.models import LedgerEntry
from pojo.ledger.service import balance_of
from pojo.ledger.verify import run_checks
from pojo.people.models import Employee, Team
from pojo.shifts.models import Shift
from pojo.swaps.models import Swap
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points
from tests.test_api import api_client
from tests.test_shifts import START, add_shift

SWAP = {
    "name_en": "Swap away a shift",
    "name_fi": "Vaihda vuoro pois",
    "category": "time_off",
    "kind": "shift_swap",
    "base_price": 200,
    "floor_price": 100,
    "ceiling_price": 400,
    "expected_per_30d": 4,
}


def shift_for(app, username, starts: float = 0, hours: float = 8) -> int:
    return add_shift(app, username, starts, hours, label="Evening")


def owner_of(app, shift_id) -> str:
    with app.app_context():
        return db.session.get(Shift, shift_id).employee.username


def entries(app, username, kind) -> list[int]:
    with app.app_context():
        employee = db.session.scalar(select(Employee).where(Employee.username == username))
        return list(
            db.session.scalars(
                select(LedgerEntry.points).where(
                    LedgerEntry.employee_id == employee.id, LedgerEntry.kind == kind
                )
            )
        )


def balance(app, username) -> int:
    with app.app_context():
        employee = db.session.scalar(select(Employee).where(Employee.username == username))
        return balance_of(employee.id)


@pytest.fixture
def team(app, make_employee):
    """A requester with 1,000 points and a shift, and two colleagues of the same team."""
    requester = make_employee("req", team="Alpha")
    taker = make_employee("taker", team="Alpha")
    other = make_employee("other", team="Alpha")
    outsider = make_employee("outsider", team="Beta")
    give_points(app, requester, 1000)
    reward = add_reward(app, **SWAP)
    shift = shift_for(app, requester)
    return {
        "requester": requester,
        "taker": taker,
        "other": other,
        "outsider": outsider,
        "reward": reward,
        "shift": shift,
    }


def request_swap(app, team, **extra):
    return api_client(app, team["requester"]).post(
        "/api/v1/redemptions",
        json={"reward": team["reward"], "max_price": 1000, "shift": team["shift"], **extra},
    )


def test_a_swap_goes_on_the_board_and_a_colleague_covers_it(app, team):
    made = request_swap(app, team)
    assert made.status_code == 201, made.get_json()
    assert balance(app, team["requester"]) == 1000 - made.get_json()["price_paid"]

    mine = api_client(app, team["requester"]).get("/api/v1/shifts").get_json()
    assert [s["swap"]["status"] for s in mine if s["id"] == team["shift"]] == ["open"]
    board = api_client(app, team["taker"]).get("/api/v1/swaps").get_json()
    assert [(s["shift"]["id"], s["requested_by"], s["status"]) for s in board] == [
        (team["shift"], team["requester"], "open")
    ]
    # Another team's board does not list it.
    assert api_client(app, team["outsider"]).get("/api/v1/swaps").get_json() == []

    taken = api_client(app, team["taker"]).post(f"/api/v1/swaps/{board[0]['id']}/take")
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["status"] == "covered"
    assert owner_of(app, team["shift"]) == team["taker"]
    # The taker earned the criterion's points, from no budget, marked as a cover in the ledger.
    assert entries(app, team["taker"], "cover") == [40]
    assert (
        api_client(app, team["other"]).post(f"/api/v1/swaps/{board[0]['id']}/take").status_code
        == 409
    )
    with app.app_context():
        assert all(not result.violations for result in run_checks())


def test_the_refusals_of_a_request_have_their_codes_and_charge_nothing(app, team, make_employee):
    client = api_client(app, team["requester"])
    base = {"reward": team["reward"], "max_price": 1000}
    assert (
        client.post("/api/v1/redemptions", json=base).get_json()["error"]["code"]
        == "shift_required"
    )
    others = shift_for(app, team["taker"], starts=48)
    wrong = client.post("/api/v1/redemptions", json={**base, "shift": others})
    assert (wrong.status_code, wrong.get_json()["error"]["code"]) == (422, "not_your_shift")
    soon = shift_for(app, team["requester"], starts=-24 * 6)  # starts in about a day
    late = client.post("/api/v1/redemptions", json={**base, "shift": soon})
    assert (late.status_code, late.get_json()["error"]["code"]) == (422, "too_late")
    assert balance(app, team["requester"]) == 1000
    assert request_swap(app, team).status_code == 201
    again = request_swap(app, team)
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "already_on_board")


def _swap_id(app, team):
    made = request_swap(app, team)
    assert made.status_code == 201, made.get_json()
    with app.app_context():
        return db.session.scalar(select(Swap.id).where(Swap.shift_id == team["shift"]))


def test_a_take_breaking_a_planners_rule_is_refused_with_its_code(app, team, make_employee):
    swap = _swap_id(app, team)
    # Ends 3 hours before the swapped shift starts: 3 h of rest, under 11.
    shift_for(app, team["taker"], starts=-11, hours=8)
    refused = api_client(app, team["taker"]).post(f"/api/v1/swaps/{swap}/take")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (422, "rest_period")
    shift_for(app, team["other"], starts=4, hours=8)
    overlap = api_client(app, team["other"]).post(f"/api/v1/swaps/{swap}/take")
    assert overlap.get_json()["error"]["code"] == "overlap"
    own = api_client(app, team["requester"]).post(f"/api/v1/swaps/{swap}/take")
    assert (own.status_code, own.get_json()["error"]["code"]) == (422, "own_swap")
    outsider = api_client(app, team["outsider"]).post(f"/api/v1/swaps/{swap}/take")
    assert (outsider.status_code, outsider.get_json()["error"]["code"]) == (422, "not_in_team")
    temp = make_employee(
        "temp", team="Alpha", temp=True, contract_end=START.date() - timedelta(days=1)
    )
    ended = api_client(app, temp).post(f"/api/v1/swaps/{swap}/take")
    assert (ended.status_code, ended.get_json()["error"]["code"]) == (422, "contract_ended")
    assert owner_of(app, team["shift"]) == team["requester"]
    assert entries(app, team["taker"], "cover") == []


def test_an_uncovered_swap_expires_at_its_deadline_with_a_refund_once(app, team):
    swap = _swap_id(app, team)
    paid = 1000 - balance(app, team["requester"])
    with app.app_context():
        deadline = db.session.get(Swap, swap).deadline
        assert deadline == START - timedelta(hours=48)
        assert "1 uncovered" in run_job("swap_expiry", now=deadline + timedelta(minutes=1))
        assert "0 uncovered" in run_job("swap_expiry", now=deadline + timedelta(minutes=20))
        assert db.session.get(Swap, swap).status == "expired"
    assert entries(app, team["requester"], "refund") == [paid]
    assert balance(app, team["requester"]) == 1000
    assert owner_of(app, team["shift"]) == team["requester"]


def test_withdrawing_refunds_in_full(app, team):
    swap = _swap_id(app, team)
    done = api_client(app, team["requester"]).post(f"/api/v1/swaps/{swap}/withdraw")
    assert done.get_json()["status"] == "withdrawn"
    assert balance(app, team["requester"]) == 1000
    assert api_client(app, team["taker"]).post(f"/api/v1/swaps/{swap}/take").status_code == 409


def test_a_team_that_approves_swaps_moves_the_shift_only_once_approved(app, team, make_employee):
    with app.app_context(), unit_of_work():
        db.session.scalar(select(Team).where(Team.name == "Alpha")).swap_needs_approval = True
    supervisor = make_employee("boss", role="supervisor", team="Alpha")
    swap = _swap_id(app, team)
    taken = api_client(app, team["taker"]).post(f"/api/v1/swaps/{swap}/take")
    assert taken.get_json()["status"] == "awaiting_approval"
    assert owner_of(app, team["shift"]) == team["requester"]
    with app.app_context(), unit_of_work():
        from pojo.swaps.service import approve

        boss = db.session.scalar(select(Employee).where(Employee.username == supervisor))
        approve(boss, swap)
    assert owner_of(app, team["shift"]) == team["taker"]
    assert entries(app, team["taker"], "cover") == [40]


def test_deactivating_the_requester_hands_the_swap_back_with_a_refund(app, team):
    swap = _swap_id(app, team)
    with app.app_context(), unit_of_work():
        from pojo.people.service import deactivate

        deactivate(
            db.session.scalar(select(Employee).where(Employee.username == team["requester"]))
        )
    with app.app_context():
        assert db.session.get(Swap, swap).status == "withdrawn"
        assert (
            db.session.scalar(select(func.count()).select_from(Swap).where(Swap.status == "open"))
            == 0
        )
    assert balance(app, team["requester"]) == 1000


def test_a_shift_on_the_board_cannot_be_deleted(app, team, make_employee, login):
    _swap_id(app, team)
    hr = make_employee("hr.person", role="hr", team="Office")
    client = login(app.test_client(), hr)
    response = client.post(f"/shifts/{team['shift']}/delete")
    assert response.status_code in (302, 409, 422)
    assert owner_of(app, team["shift"]) == team["requester"]


def test_on_the_board_a_shift_swap_leads_to_its_page_where_one_picks_the_shift(app, team, login):
    client = login(app.test_client(), team["requester"])
    board = client.get("/market").get_data(as_text=True)
    assert f'action="/market/rewards/{team["reward"]}"' in board
    assert "Choose your shift" in board
    page = client.get(f"/market/rewards/{team['reward']}").get_data(as_text=True)
    assert f'<option value="{team["shift"]}">' in page
    made = client.post(
        "/market/redeem",
        data={
            "reward": team["reward"],
            "max_price": 1000,
            "request_id": "web-swap-1",
            "shift": team["shift"],
            "offered_to": "",
        },
    )
    assert made.status_code == 302
    assert client.get("/swaps").get_data(as_text=True).count("Withdraw") >= 1
    with app.app_context():
        assert (
            db.session.scalar(select(Swap.status).where(Swap.shift_id == team["shift"])) == "open"
        )


def test_my_shifts_shows_the_shift_on_the_board_and_leads_to_the_swap_reward(app, team, login):
    _swap_id(app, team)
    page = login(app.test_client(), team["requester"]).get("/shifts").get_data(as_text=True)
    assert "On the board" in page
    assert f'href="/market/rewards/{team["reward"]}"' in page


def test_a_roster_import_cannot_change_a_shift_on_the_board(app, team, make_employee):
    from pojo.shifts import imports

    _swap_id(app, team)
    hr = make_employee("hr.importer", role="hr", team="Office")
    starts = START.isoformat()
    ends = (START + timedelta(hours=6)).isoformat()
    data = (
        f"employee,starts_at,ends_at,label\n{team['requester']},{starts},{ends},Evening\n".encode()
    )
    with app.app_context():
        actor = db.session.scalar(select(Employee).where(Employee.username == hr))
        plan = imports.preview(actor, data)
    assert [(r.position, r.reason) for r in plan.rejected] == [(2, "conflict")]
    assert "swap board" in plan.rejected[0].message


def test_the_swap_board_runs_as_many_statements_for_five_swaps_as_for_one(
    app, team, login, make_employee
):
    from tests.query_count import statements_for

    _swap_id(app, team)
    viewer = login(app.test_client(), team["taker"])
    one = statements_for(app, viewer, "/swaps")
    for n in range(4):
        colleague = make_employee(f"req{n}", team="Alpha")
        give_points(app, colleague, 1000)
        shift = shift_for(app, colleague, starts=24 * (n + 1))
        made = api_client(app, colleague).post(
            "/api/v1/redemptions",
            json={"reward": team["reward"], "max_price": 1000, "shift": shift},
        )
        assert made.status_code == 201, made.get_json()
    assert statements_for(app, viewer, "/swaps") == one
