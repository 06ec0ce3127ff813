"""What every request shares: the unit of work, and one statement for the user, session and bell.

On PostgreSQL the round trips are read from libpq's own trace (tests/query_count.round_trips),
so BEGIN, COMMIT and pings count too.
"""

import pytest
from flask import redirect, render_template_string
from sqlalchemy import func, select

from pojo.api.models import ApiToken
from pojo.errors import DomainError
from pojo.extensions import db
from pojo.notifications.models import Notification
from pojo.notifications.service import notify
from pojo.people.models import Team
from pojo.people.service import get_employee
from pojo.policy import EVERYONE, PUBLIC
from pojo.unit_of_work import unit_of_work
from pojo.web import allow, flash_refusal
from tests.query_count import counting_statements, round_trips
from tests.test_api import token_for

# A page whose view reads nothing itself: all it costs is what every logged-in page shares.
SIMPLE_PAGE = "/test/simple"
LEFT_BEHIND = "Left behind"


@pytest.fixture
def simple_page(app):
    """A logged-in page that draws the whole layout (bell and menu) and asks nothing itself."""

    @allow(EVERYONE)
    def simple():
        return render_template_string(
            '{% extends "base.html" %}{% block content %}ok{% endblock %}'
        )

    app.add_url_rule(SIMPLE_PAGE, view_func=simple)


def teams_named(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Team).where(Team.name == name))


def leave_notices(app, username: str, count: int) -> None:
    with app.app_context(), unit_of_work():
        for _ in range(count):
            notify(get_employee(username).id, "goal_affordable", "/wallet", price=300)


def _flush_a_team_then_refuse():
    """A service that wrote before it found a reason to refuse."""
    db.session.add(Team(name=LEFT_BEHIND))
    db.session.flush()
    raise DomainError("Refused after a write.")


def test_a_refusal_shown_after_a_redirect_keeps_nothing(app, client):
    @allow(PUBLIC)
    def refuse_and_redirect():
        try:
            _flush_a_team_then_refuse()
        except DomainError as error:
            flash_refusal(error)
        return redirect("/")

    app.add_url_rule("/test/refuse", view_func=refuse_and_redirect, methods=["POST"])
    response = client.post("/test/refuse")
    assert response.status_code == 302
    assert teams_named(app, LEFT_BEHIND) == 0


def test_writes_in_a_get_are_one_transaction(app, client):
    """A GET that writes and is then refused keeps none of it, the first write included."""

    @allow(PUBLIC)
    def write_then_refuse():
        _flush_a_team_then_refuse()

    @allow(PUBLIC)
    def write_twice():
        db.session.add(Team(name="First"))
        db.session.flush()
        db.session.add(Team(name="Second"))
        return "ok"

    app.add_url_rule("/test/write-then-refuse", view_func=write_then_refuse)
    app.add_url_rule("/test/write-twice", view_func=write_twice)
    assert client.get("/test/write-then-refuse").status_code == 422
    assert teams_named(app, LEFT_BEHIND) == 0
    assert client.get("/test/write-twice").status_code == 200
    assert teams_named(app, "First") == teams_named(app, "Second") == 1


@pytest.mark.usefixtures("simple_page")
def test_a_logged_in_page_costs_one_statement_for_user_session_and_bell(app, client_as):
    agent = client_as("agent")
    leave_notices(app, agent.username, 2)
    with counting_statements(app) as seen:
        response = agent.get(SIMPLE_PAGE)
    assert response.status_code == 200
    assert "data-unread >2<" in response.get_data(as_text=True)
    assert len(seen) == 1, seen  # no BEGIN IMMEDIATE on SQLite either
    assert "user_sessions" in seen[0] and "notifications" in seen[0]


def test_the_list_page_shows_the_bell_after_marking_its_notices_read(app, client_as):
    agent = client_as("agent")
    leave_notices(app, agent.username, 2)
    page = agent.get("/notifications").get_data(as_text=True)
    assert page.count('class="tag tag-new"') == 2
    assert "data-unread hidden>0<" in page
    with app.app_context():
        unread = (
            select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))
        )
        assert db.session.scalar(unread) == 0


@pytest.fixture
def postgresql(backend):
    if backend != "postgresql":
        pytest.skip("round trips are read from libpq's trace")


@pytest.mark.usefixtures("postgresql", "simple_page")
def test_a_logged_in_page_is_one_round_trip_on_postgresql(app, client_as):
    agent = client_as("agent")
    agent.get(SIMPLE_PAGE)  # the pool holds a connection now: no connecting in the count
    with round_trips(app) as sent:
        assert agent.get(SIMPLE_PAGE).status_code == 200
    assert len(sent) == 1, sent  # no ping, no BEGIN, no COMMIT
    assert sent[0].startswith("SELECT")


@pytest.mark.usefixtures("postgresql")
@pytest.mark.parametrize("path", ["/market", "/wallet", "/criteria", "/market/redemptions"])
def test_a_read_only_get_sends_no_begin_or_commit(app, client_as, path):
    agent = client_as("agent")
    agent.get(path)
    with round_trips(app) as sent:
        assert agent.get(path).status_code == 200
    # Reads only: a SELECT, a WITH query ending in one (the segments' measures), or a statement
    # psycopg prepared on an earlier read.
    reads = {"SELECT", "WITH", "PREPARED"}
    assert all(statement.split(None, 1)[0] in reads for statement in sent), sent


@pytest.mark.usefixtures("postgresql")
def test_a_get_that_writes_begins_before_its_first_write_and_commits(app, client_as):
    agent = client_as("agent")
    leave_notices(app, agent.username, 1)
    with round_trips(app) as sent:
        assert agent.get("/notifications").status_code == 200
    words = [statement.split()[0] for statement in sent]
    assert words[-3:] == ["BEGIN", "UPDATE", "COMMIT"], sent
    assert set(words[:-3]) == {"SELECT"}, sent


def test_an_api_get_keeps_the_last_use_it_records(app, make_employee):
    """The token's last use is written by a GET: it must be committed like any write."""
    token = token_for(app, make_employee())
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/rewards", headers=headers).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None
