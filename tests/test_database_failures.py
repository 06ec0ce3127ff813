"""A lost database connection: 503 with Retry-After, and a GET served again on a fresh one.

The connections are really dropped: PostgreSQL's pg_terminate_backend, sent
from a second connection, ends the app's backend between two statements.
"""

import time

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.pool import NullPool

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.people.service import get_employee
from tests.conftest import PG_URL
from tests.test_api import token_for


@pytest.fixture
def terminator(backend):
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    engine = create_engine(PG_URL, poolclass=NullPool)

    def terminate(where: str, **params) -> None:
        with engine.begin() as connection:
            pids = connection.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    f" AND pid <> pg_backend_pid() AND {where}"
                ),
                params,
            ).all()
            for pid in pids:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 10
        while pids and time.monotonic() < deadline:
            with engine.connect() as connection:
                alive = connection.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                    {"pids": pids},
                )
            if not alive:
                return
            time.sleep(0.05)

    yield terminate
    engine.dispose()


def drop_connection_at_statement(app, terminate, number: int, times: int = 1):
    """End the backend of the app's connection just before its `number`-th statement.

    Counted per checkout from the pool (a request uses one connection); the first
    `times` checkouts that reach that statement lose it.
    """
    state = {"count": 0, "left": times}
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "checkout")
    def _count_from_here(*_args):
        state["count"] = 0

    @event.listens_for(engine, "before_cursor_execute")
    def _drop(connection, _cursor, _statement, *_args):
        state["count"] += 1
        if state["count"] == number and state["left"] > 0:
            state["left"] -= 1
            pid = connection.connection.dbapi_connection.info.backend_pid
            terminate("pid = :pid", pid=pid)

    return state


def test_a_get_that_loses_its_connection_is_served_again(
    app, client, terminator, make_employee, login
):
    login(client, make_employee())
    state = drop_connection_at_statement(app, terminator, number=1)
    response = client.get("/wallet")
    assert state["left"] == 0
    assert response.status_code == 200


def test_a_post_that_loses_its_connection_gets_503_and_changes_nothing(
    app, client, terminator, make_employee, login
):
    username = make_employee(language="fi")
    login(client, username)
    state = drop_connection_at_statement(app, terminator, number=2)
    response = client.post("/settings", data={"lang-language": "en"})
    assert state["left"] == 0
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = response.get_data(as_text=True)
    assert '<html lang="fi">' in page and "tietokanta" in page
    with app.app_context():
        assert get_employee(username).language == "fi"


def test_an_api_post_that_loses_its_connection_gets_503_json(app, terminator, make_employee):
    make_employee("aino", team="Alpha")
    token = token_for(app, make_employee(role="hr", team="Office"))
    drop_connection_at_statement(app, terminator, number=1)
    response = app.test_client().post(
        "/api/v1/awards",
        json={"employee": "aino", "criterion": "fcr", "note": "Great call"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "unavailable"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Award)) == 0


def test_a_get_after_every_connection_was_dropped_is_served_without_pre_ping(
    make_app, app, terminator, make_employee, login
):
    """Without pool pre-ping each pooled connection is dead after the drop: the retry carries it."""
    no_ping = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False})
    client = login(no_ping.test_client(), make_employee())
    with no_ping.app_context():
        pooled = [db.engine.connect() for _ in range(3)]  # so the pool holds several
        for connection in pooled:
            connection.close()
    terminator("true")
    assert client.get("/wallet").status_code == 200
    assert client.get("/wallet").status_code == 200


def test_a_commit_that_loses_its_connection_gets_503_not_500(
    make_app, app, terminator, make_employee, login
):
    served = make_app(PROPAGATE_EXCEPTIONS=False)
    username = make_employee(language="en")
    client = login(served.test_client(), username)
    with served.app_context():
        engine = db.engine
    state = {"left": 1}

    @event.listens_for(engine, "commit")
    def _drop_before_commit(connection):
        if state["left"]:
            state["left"] = 0
            pid = connection.connection.dbapi_connection.info.backend_pid
            terminator("pid = :pid", pid=pid)

    response = client.post("/settings", data={"lang-language": "fi"})
    assert state["left"] == 0
    assert response.status_code == 503 and response.headers["Retry-After"]
    with app.app_context():
        assert get_employee(username).language == "en"
