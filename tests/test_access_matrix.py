"""Every route and method of the URL map, sent by every kind of visitor, answers as declared.

The expectation is the route's own access rule (`pojo.access.outcome`, from
`allow`/`api_view` and the capabilities of pojo.policy), narrowed by the object
rule the route declares for the thing its URL names (`allow(..., object_rule=)`).
URL parameters are real rows of one world: agent Aino of team Alpha owns the
shift, the swap, the redemption and the token; Alpha's supervisor uploaded the
outcomes; HR uploaded the history. Each visitor gets a world of their own, since
an allowed empty POST may change it (the logout is sent last).
"""

import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from pojo import access
from pojo.api.models import ApiToken
from pojo.extensions import db
from pojo.history.models import HistoryImport
from pojo.market.models import Redemption, Reward
from pojo.outcomes.models import OutcomeImport, OutcomeRule
from pojo.people.models import Team
from pojo.people.service import get_employee
from pojo.policy import can
from pojo.swaps.models import Swap
from tests.market_helpers import add_reward, give_points
from tests.test_api import api_client, token_for
from tests.test_outcomes import DAY
from tests.test_shifts import add_shift
from tests.test_swaps import SWAP

pytestmark = pytest.mark.usefixtures("quick_passwords")
DOCS = Path(__file__).parent.parent / "docs" / "access.md"
VISITORS = {visitor.label: visitor for visitor in access.VISITORS}


@dataclass
class World:
    """The rows the URL parameters name, and who is who."""

    people: dict[str, str]  # visitor label -> username
    ids: dict[str, object] = field(default_factory=dict)


def _upload(client, path: str, field_name: str, data: bytes) -> int:
    response = client.post(
        path,
        data={field_name: (io.BytesIO(data), "file.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def build_world(app, make_employee, login) -> World:
    people = {
        "agent": make_employee("aino", team="Alpha"),
        "temp agent": make_employee("tiina", team="Alpha", temp=True),
        "supervisor of the team": make_employee("sami", role="supervisor", team="Alpha"),
        "supervisor of another team": make_employee("bea", role="supervisor", team="Beta"),
        "HR": make_employee("helena", role="hr", team="Office"),
        "admin": make_employee("aaro", role="admin", team="Office"),
    }
    make_employee("bertta", team="Beta")
    world = World(people)
    aino = people["agent"]
    entry = give_points(app, aino, 2000)
    reward = add_reward(app)
    api_client(app, aino).post("/api/v1/redemptions", json={"reward": reward, "max_price": 2000})
    swap_reward = add_reward(app, **SWAP)
    shift = add_shift(app, aino, starts=0)
    swapped = add_shift(app, aino, starts=48)
    made = api_client(app, aino).post(
        "/api/v1/redemptions", json={"reward": swap_reward, "max_price": 2000, "shift": swapped}
    )
    assert made.status_code == 201, made.get_json()
    token_for(app, aino)
    supervisor = login(app.test_client(), people["supervisor of the team"])
    outcomes_upload = _upload(
        supervisor,
        "/outcomes/import",
        "file",
        f"external_id,employee,kind,score,occurred_at\nm1,{aino},nps,10,{DAY}\n".encode(),
    )
    supervisor.post(f"/outcomes/import/{outcomes_upload}/apply", data={})  # waits for HR
    hr = login(app.test_client(), people["HR"])
    history_upload = _upload(
        hr,
        "/import/users",
        "users-file",
        b"username,name,email,role,team,employment_type,agency,contract_end\n"
        b"uuno.uusi,Uuno Uusi,,agent,Alpha,permanent,,\n",
    )
    with app.app_context():
        world.ids = {
            "username": aino,
            "code": "fcr",
            "kind": "users",
            "name": "segments",
            "token": "not-a-real-token",
            "entry_id": entry,
            "reward_id": reward,
            "redemption_id": db.session.scalar(
                select(Redemption.id).where(Redemption.reward_id == reward)
            ),
            "shift_id": shift,
            "swap_id": db.session.scalar(select(Swap.id)),
            "rule_id": db.session.scalar(select(OutcomeRule.id).order_by(OutcomeRule.id)),
            "team_id": get_employee(aino).team_id,
            "token_id": db.session.scalar(select(ApiToken.id).order_by(ApiToken.id.desc())),
            ("outcomes", "upload_id"): outcomes_upload,
            ("history", "upload_id"): history_upload,
            ("people.extend_contract", "username"): people["temp agent"],
            ("auth.choose_language", "code"): "en",
            ("guide.tour", "step"): 1,
        }
        assert db.session.get(HistoryImport, history_upload) is not None
        assert db.session.get(OutcomeImport, outcomes_upload).status == "pending"
    return world


def _alpha():
    return db.session.scalar(select(Team).where(Team.name == "Alpha"))


def _outcome_upload(ids):
    return db.session.get(OutcomeImport, ids[("outcomes", "upload_id")])


def _aino(ids):
    return get_employee(ids["username"])


HIDDEN = "hidden"  # a 404: to whoever may not see the thing, it does not exist
CONFLICT = "conflict"  # a 409 or 422: the thing is no longer in a state the rule allows


def _reward(ids):
    return db.session.get(Reward, ids["reward_id"])


# For each route that declares an object rule (`allow(..., object_rule=)`): the thing the
# URL names, as that rule takes it, and how a refusal by it answers. The shifts service
# hides another team's shift (get_shift); an import decided already cannot be rejected.
OBJECTS = {
    "ledger_api.employee_ledger": (_aino, access.REFUSED),
    "ledger.employee_ledger": (_aino, access.REFUSED),
    "people.edit_employee": (_aino, access.REFUSED),
    "shifts.edit": (lambda ids: _alpha(), HIDDEN),
    "shifts.delete": (lambda ids: _alpha(), HIDDEN),
    "swaps.approve": (lambda ids: _alpha(), access.REFUSED),
    "swaps.turn_down": (lambda ids: _alpha(), access.REFUSED),
    "outcomes.preview": (_outcome_upload, HIDDEN),
    "outcomes.apply": (_outcome_upload, HIDDEN),
    "outcomes.reject": (_outcome_upload, CONFLICT),
    "api_tokens.revoke": (lambda ids: db.session.get(ApiToken, ids["token_id"]), access.REFUSED),
    "market.reward": (_reward, HIDDEN),
    "market.reward_image": (_reward, HIDDEN),
    "market_api.reward": (_reward, HIDDEN),
}


def _url(app, route: access.Route, ids: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules(route.endpoint) if r.rule == route.rule)
    values = {}
    for name in rule.arguments:
        for key in ((route.endpoint, name), (route.endpoint.split(".")[0], name), name):
            if key in ids:
                values[name] = ids[key]
                break
        else:
            raise AssertionError(f"no value in the world for <{name}> of {route.rule}")
    with app.test_request_context():
        return rule.build(values, append_unknown=False)[1]


def expected(app, route: access.Route, visitor: access.Visitor, world: World) -> str:
    gate = access.outcome(route, visitor)
    if gate != access.ALLOWED or visitor.role is None or route.object_rule is None:
        return gate
    thing, refusal = OBJECTS[route.endpoint]
    with app.app_context():
        actor = get_employee(world.people[visitor.label])
        allowed = can(actor, route.object_rule, thing(world.ids))
    return access.ALLOWED if allowed else refusal


def answer(response, route: access.Route) -> str:
    """What a response says about access, in the matrix's words."""
    if response.status_code >= 500:
        return "a server error"
    if route.api and response.status_code in (401, 403) and not response.is_json:
        return f"{response.status_code} without the API's JSON error"
    location = urlsplit(response.headers.get("Location", ""))
    if response.status_code == 302 and location.path == "/login" and "next=" in location.query:
        return access.LOGIN  # Flask-Login's way to the login page, not the front door's
    if response.status_code == 401:
        return access.UNAUTHORIZED
    if response.status_code == 403:
        return access.REFUSED
    return access.ALLOWED


def _send(client, route: access.Route, url: str):
    if route.method == "GET":
        return client.get(url)
    if route.api:
        return client.open(url, method=route.method, json={})
    return client.open(url, method=route.method, data={})


def _order(route: access.Route):
    # Reads first, then writes; the logout last, since it ends the visitor's session.
    return (route.endpoint == "auth.logout", route.method != "GET", route.rule)


@pytest.mark.parametrize("label", list(VISITORS))
def test_every_route_answers_each_visitor_as_its_access_rule_says(app, make_employee, login, label):
    visitor = VISITORS[label]
    world = build_world(app, make_employee, login)
    html = app.test_client()
    api = app.test_client()
    if visitor.role is not None:
        username = world.people[label]
        login(html, username)
        api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token_for(app, username)}"
    wrong = []
    for route in sorted(access.routes(app), key=_order):
        url = _url(app, route, world.ids)
        want = expected(app, route, visitor, world)
        response = _send(api if route.api else html, route, url)
        got = answer(response, route)
        if want == HIDDEN and response.status_code == 404:
            got = HIDDEN
        if want == CONFLICT and response.status_code in (409, 422):
            got = CONFLICT
        if got != want:
            wrong.append(f"{route.method} {url} ({route.rule_name}): {want}, got {response.status}")
    assert not wrong, "\n".join(wrong)


def test_a_route_without_an_access_rule_has_no_place_in_the_matrix(app):
    undeclared = access.Route("/new", "GET", "new.page", None, api=False)
    with pytest.raises(ValueError, match="declares no access rule"):
        access.outcome(undeclared, VISITORS["agent"])
    assert all(route.access_rule is not None for route in access.routes(app))


def test_docs_access_md_is_the_matrix_of_the_url_map(app):
    assert DOCS.read_text(encoding="utf-8") == access.markdown_table(app), (
        "docs/access.md is stale: run `flask --app pojo access table > docs/access.md`"
    )


def test_the_access_command_prints_the_matrix(app, runner):
    result = runner.invoke(args=["access", "table"])
    assert result.exit_code == 0
    assert "| `/api/v1/awards` | POST | `award` | 401 | 403 | 403 | ✓ | ✓ | ✓ | ✓ |" in (
        result.output
    )


def test_every_declared_object_rule_has_its_thing_in_the_world(app):
    declared = {route.endpoint for route in access.routes(app) if route.object_rule is not None}
    assert declared == set(OBJECTS)


# Object-level refusals: each answered as refused, with nothing in the database changed.


def database_rows(app) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: what a refused request must leave alone."""
    with app.app_context():
        found = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(table.select()).all()
            found[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        return found


@pytest.fixture
def alpha_and_beta(app, make_employee, login):
    """Two agents of Alpha (Aino, Bertta) with points, shifts and a redemption; a Beta
    agent; a supervisor of each team; HR."""
    names = {
        "aino": make_employee("aino", team="Alpha"),
        "bertta": make_employee("bertta", team="Alpha"),
        "bruno": make_employee("bruno", team="Beta"),
        "sami": make_employee("sami", role="supervisor", team="Alpha"),
        "bea": make_employee("bea", role="supervisor", team="Beta"),
        "helena": make_employee("helena", role="hr", team="Office"),
    }
    give_points(app, "aino", 1000)
    give_points(app, "bertta", 1000)
    reward = add_reward(app)
    made = api_client(app, "bertta").post(
        "/api/v1/redemptions", json={"reward": reward, "max_price": 1000}
    )
    assert made.status_code == 201, made.get_json()
    return {
        **names,
        "redemption": made.get_json()["id"],
        "bertta_shift": add_shift(app, "bertta", starts=0, label="Bertta's late shift"),
    }


def test_an_agent_reads_neither_another_agents_ledger_nor_shifts_nor_data(
    app, alpha_and_beta, login
):
    aino = login(app.test_client(), "aino")
    aino_api = api_client(app, "aino")
    before = database_rows(app)
    assert aino_api.get("/api/v1/employees/bertta/ledger").status_code == 403
    assert aino.get("/people/bertta/ledger").status_code == 403
    assert aino.get(f"/shifts/{alpha_and_beta['bertta_shift']}/edit").status_code == 403
    assert aino.post(f"/shifts/{alpha_and_beta['bertta_shift']}/delete").status_code == 403
    assert database_rows(app) == before
    # One's own shifts, calendar and data download hold nothing of a colleague's.
    for page in (
        aino.get("/shifts"),
        aino_api.get("/api/v1/shifts"),
        aino_api.get("/api/v1/shifts.ics"),
        aino.get("/settings/my-data.json"),
    ):
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "Bertta" not in text and "bertta" not in text


def test_a_supervisor_awards_no_one_outside_their_teams(app, alpha_and_beta, login):
    sami = login(app.test_client(), "sami")
    sami_api = api_client(app, "sami")
    before = database_rows(app)
    form = sami.post(
        "/awards/new",
        data={"employee": "bruno", "criterion": "fcr", "note": "Well done", "request_id": "x1"},
    )
    assert form.status_code == 422
    refused = sami_api.post(
        "/api/v1/awards", json={"employee": "bruno", "criterion": "fcr", "note": "Well done"}
    )
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "not_in_team"
    assert database_rows(app) == before


def _swap_awaiting_approval(app, team: str, requester: str, taker: str) -> int:
    with app.app_context():
        from pojo.unit_of_work import unit_of_work

        with unit_of_work():
            db.session.scalar(select(Team).where(Team.name == team)).swap_needs_approval = True
    give_points(app, requester, 1000)
    reward = add_reward(app, **SWAP)
    shift = add_shift(app, requester, starts=72)
    made = api_client(app, requester).post(
        "/api/v1/redemptions", json={"reward": reward, "max_price": 1000, "shift": shift}
    )
    assert made.status_code == 201, made.get_json()
    with app.app_context():
        swap_id = db.session.scalar(select(Swap.id).where(Swap.shift_id == shift))
    taken = api_client(app, taker).post(f"/api/v1/swaps/{swap_id}/take")
    assert taken.status_code == 200, taken.get_json()
    return swap_id


def test_a_supervisor_approves_no_swap_of_another_team(app, alpha_and_beta, make_employee, login):
    make_employee("berit", team="Beta")
    swap_id = _swap_awaiting_approval(app, "Beta", "bruno", "berit")
    sami = login(app.test_client(), "sami")
    before = database_rows(app)
    assert sami.post(f"/swaps/{swap_id}/approve").status_code == 403
    assert sami.post(f"/swaps/{swap_id}/turn-down").status_code == 403
    with app.app_context():
        beta = db.session.scalar(select(Team.id).where(Team.name == "Beta"))
    assert sami.post(f"/swaps/team-approval?team={beta}", data={}).status_code == 403
    assert database_rows(app) == before
    with app.app_context():
        assert db.session.get(Swap, swap_id).status == "awaiting_approval"


def test_an_agent_neither_fulfils_nor_cancels_a_redemption(app, alpha_and_beta, login):
    aino = login(app.test_client(), "aino")
    bertta = login(app.test_client(), "bertta")
    redemption = alpha_and_beta["redemption"]
    before = database_rows(app)
    for client in (aino, bertta):  # a colleague's, and one's own
        assert client.post(f"/market/admin/redemptions/{redemption}/fulfil").status_code == 403
        assert client.post(f"/market/admin/redemptions/{redemption}/cancel").status_code == 403
    assert database_rows(app) == before
    with app.app_context():
        assert db.session.get(Redemption, redemption).status == "pending"


def test_a_supervisor_applies_no_import(app, alpha_and_beta, login):
    sami = login(app.test_client(), "sami")
    bea = login(app.test_client(), "bea")
    hr = login(app.test_client(), "helena")
    outcomes = _upload(
        sami,
        "/outcomes/import",
        "file",
        f"external_id,employee,kind,score,occurred_at\nm1,aino,nps,10,{DAY}\n".encode(),
    )
    history = _upload(
        hr,
        "/import/history",
        "history-file",
        b"employee,at,kind,points,reward,note\naino,2026-11-01T10:00:00+00:00,award,70,,\n",
    )
    before = database_rows(app)
    assert bea.post(f"/outcomes/import/{outcomes}/apply", data={}).status_code == 404
    assert sami.post(f"/import/{history}/apply").status_code == 403
    assert bea.post(f"/import/{history}/apply").status_code == 403
    assert database_rows(app) == before
    # Their own upload only goes to HR for approval: nothing is recorded yet.
    entries = before["ledger_entries"]
    assert sami.post(f"/outcomes/import/{outcomes}/apply", data={}).status_code == 302
    after = database_rows(app)
    assert after["ledger_entries"] == entries and after["outcomes"] == before["outcomes"]
    with app.app_context():
        assert db.session.get(OutcomeImport, outcomes).status == "pending"
