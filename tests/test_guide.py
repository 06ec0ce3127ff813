"""The first-login tour and the public "how it works" page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from pojo.awards.models import Criterion
from pojo.extensions import db
from pojo.market.models import Reward
from pojo.outcomes.models import OutcomeRule
from pojo.people.models import Employee
from pojo.people.service import find_employee
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD
from tests.market_helpers import add_reward


def _log_in(client, username, next_page=None):
    url = "/login" + (f"?next={next_page}" if next_page else "")
    response = client.post(url, data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def _text(response) -> str:
    return response.get_data(as_text=True)


# The tour ----------------------------------------------------------------------------------


def test_a_new_person_sees_the_tour_once_after_the_first_login_then_goes_on(app, make_employee):
    username = make_employee(tour_seen=False)
    client = app.test_client()
    first = urlsplit(_log_in(client, username, next_page="/notifications"))
    assert first.path == "/tour/1"
    assert parse_qs(first.query)["next"] == ["/notifications"]

    screen = _text(client.get(f"{first.path}?{first.query}"))
    assert "How you earn pojot" in screen and "1 of 3" in screen
    assert 'href="/tour/2?next=/notifications"' in screen  # Next keeps where they were going
    assert 'href="/notifications">Skip the tour' in screen
    second = _text(client.get("/tour/2?next=/notifications"))
    assert "How prices move" in second and 'href="/tour/1?next=/notifications"' in second
    last = _text(client.get("/tour/3?next=/notifications"))
    assert "Save towards a goal" in last
    assert 'href="/notifications">Start using Pojo' in last

    client.post("/logout")
    assert urlsplit(_log_in(client, username)).path == "/"  # not again


def test_people_who_were_here_before_the_tour_never_get_it(app, client, make_employee):
    username = make_employee()  # the factory's people have seen it, as the migration marks all
    assert _log_in(client, username, next_page="/wallet") == "/wallet"


def test_the_tour_can_be_skipped_from_every_screen(app, make_employee):
    username = make_employee(tour_seen=False)
    client = app.test_client()
    _log_in(client, username)
    for step in (1, 2, 3):
        page = _text(client.get(f"/tour/{step}"))
        # Without a `next`, skipping (or finishing) goes to the front door.
        assert 'href="/">Skip the tour' in page or 'href="/">Start using Pojo' in page
    with app.app_context():
        assert find_employee(username).tour_seen_at is not None


def test_the_tour_can_be_seen_again_from_the_footer_and_settings(client_as):
    client = client_as("agent")
    wallet = _text(client.get("/wallet"))
    assert 'href="/tour/1?next=/wallet">Take the tour' in wallet
    settings = _text(client.get("/settings"))
    assert 'href="/tour/1?next=/settings">Take the tour' in settings
    again = client.get("/tour/1?next=/wallet")
    assert again.status_code == 200 and "How you earn pojot" in _text(again)


def test_the_tour_is_in_finnish_for_a_finnish_person(app, make_employee):
    username = make_employee(tour_seen=False, language="fi")
    client = app.test_client()
    location = _log_in(client, username)
    page = _text(client.get(location))
    assert '<html lang="fi">' in page
    assert "Näin ansaitset pojoja" in page and "Ohita esittely" in page
    assert "How you earn" not in page


@pytest.mark.parametrize(
    "next_page", ["https://evil.example/", "//evil.example", "/\\evil.example", "/" + "a" * 3000]
)
def test_the_tour_never_leads_off_the_site(client_as, next_page):
    client = client_as("agent")
    page = _text(client.get("/tour/3", query_string={"next": next_page}))
    # (The language switch and the footer repeat this page's own address, which is local.)
    assert 'href="/tour/2" rel="prev"' in page  # Back drops the bad `next`
    assert 'href="/">Start using Pojo' in page


@pytest.mark.parametrize("step", ["0", "4", "-1", "2147483648", "100000000000000000000", "x"])
def test_a_screen_that_does_not_exist_is_not_found(client_as, step):
    assert client_as("agent").get(f"/tour/{step}").status_code == 404


def test_the_tour_needs_a_login(client):
    response = client.get("/tour/1")
    assert response.status_code == 302 and urlsplit(response.location).path == "/login"


def test_set_password_then_the_first_login_shows_the_tour(app, client, make_employee):
    # Someone HR imported: no password yet, a one-time link. The link itself logs nobody
    # in; the login after it is their first, so the tour comes then.
    from pojo.history import passwords

    username = make_employee(tour_seen=False)
    with app.app_context(), unit_of_work():
        employee = find_employee(username)
        employee.password_hash = None
        token = passwords.new_link(employee)
    response = client.post(
        f"/set-password/{token}", data={"password": PASSWORD, "confirm": PASSWORD}
    )
    assert urlsplit(response.location).path == "/login"
    assert urlsplit(_log_in(client, username)).path == "/tour/1"


def test_an_api_token_never_counts_as_the_first_login(app, make_employee):
    from tests.test_api import api_client

    username = make_employee(tour_seen=False)
    assert api_client(app, username).get("/api/v1/me").status_code == 200
    with app.app_context():
        assert find_employee(username).tour_seen_at is None
    assert urlsplit(_log_in(app.test_client(), username)).path == "/tour/1"


def test_two_first_logins_at_once_mark_it_once(app, make_employee):
    from pojo.guide.service import mark_tour_shown

    username = make_employee(tour_seen=False)
    with app.app_context(), unit_of_work():
        stale = find_employee(username)
        db.session.execute(
            update(Employee).where(Employee.id == stale.id).values(tour_seen_at=db.func.now())
        )
        # This copy still reads None, as one another worker loaded before would.
        set_committed_value(stale, "tour_seen_at", None)
        assert mark_tour_shown(stale) is False


# How it works ------------------------------------------------------------------------------


def _rule_sentence_parts(app):
    with app.app_context():
        rule = db.session.scalar(select(OutcomeRule).where(OutcomeRule.kind == "nps").limit(1))
        return rule.criterion.name_en, rule.criterion.name_fi, rule.criterion.points


def test_how_it_works_is_public_and_shows_the_live_catalogue_rules_and_prices(app, client):
    add_reward(app, name_en="Cinema tickets", name_fi="Elokuvaliput", floor_price=40)
    with app.app_context(), unit_of_work():
        criterion = db.session.scalar(select(Criterion).where(Criterion.code == "helped_colleague"))
        criterion.points = 33  # live: HR's change shows at once
    page = _text(client.get("/how-it-works"))
    assert "<h1>How Pojo works</h1>" in page
    assert "Helped a colleague</strong> · 33 points" in page
    criterion_en, _fi, points = _rule_sentence_parts(app)
    assert "Customer survey, score" in page and f"“{criterion_en}”, {points} points" in page
    assert "Cinema tickets" in page and ">40</td>" in page  # the reward's floor
    assert "Each redemption makes the reward dearer" in page
    assert "Swapping a shift" in page and "11 hours of rest" in page
    assert 'href="/login"' in page


def test_how_it_works_in_finnish(app, client):
    add_reward(app, name_en="Cinema tickets", name_fi="Elokuvaliput")
    client.post("/language/fi", data={"next": "/how-it-works"})
    page = _text(client.get("/how-it-works"))
    assert '<html lang="fi">' in page and "<h1>Näin Pojo toimii</h1>" in page
    _en, criterion_fi, points = _rule_sentence_parts(app)
    assert "Asiakaskysely, pisteet" in page and f"”{criterion_fi}”, {points} pojoa" in page
    assert "Elokuvaliput" in page and "Cinema tickets" not in page
    assert "Vuoronvaihto on myös palkinto" in page


def test_the_login_page_and_the_footer_link_to_how_it_works(client, client_as):
    assert 'href="/how-it-works"' in _text(client.get("/login"))
    assert 'href="/how-it-works"' in _text(client_as("agent").get("/market"))


def test_a_retired_reward_is_not_explained(app, client):
    reward = add_reward(app, name_en="Old mug", name_fi="Vanha muki")
    with app.app_context(), unit_of_work():
        db.session.get(Reward, reward).active = False
    assert "Old mug" not in _text(client.get("/how-it-works"))


def test_the_migration_marks_everyone_already_here_as_having_seen_the_tour(tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from pojo import create_app

    url = f"sqlite:///{tmp_path / 'before-the-tour.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    seen = text("SELECT tour_seen_at FROM employees WHERE username = 'veteran'")
    with app.app_context():
        upgrade(revision="20261204_02_audit_log")
        db.session.execute(
            text(
                "INSERT INTO employees (username, display_name, role, employment_type, active,"
                " language, session_version, created_at) VALUES ('veteran', 'Veteran', 'agent',"
                " 'permanent', 1, 'fi', 1, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        db.session.remove()  # SQLite: the migration needs the write lock this session held
        upgrade()
        assert db.session.execute(seen).scalar_one() is not None
        db.session.remove()
        downgrade(revision="20261204_02_audit_log")
        upgrade()
        db.session.remove()
        db.engine.dispose()
