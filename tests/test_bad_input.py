"""Bad input gets a clear message and changes nothing; nothing a user sends makes a 500."""

import pytest
from sqlalchemy import func, select

from pojo.awards.models import Award, Criterion
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def supervisor_and_agent(client_as, make_employee):
    return client_as("supervisor", team="Alpha"), make_employee("aino", team="Alpha")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"note": "x" * 100_000}, "500"),
        ({"note": ""}, "Write a short note"),
        ({"employee": "no-such-person"}, "No employee with the username no-such-person."),
        ({"criterion": "no_such_code"}, "No criterion with the code no_such_code."),
        ({"request_id": ""}, "tampered with"),
    ],
)
def test_bad_award_form_is_refused_with_a_message(app, supervisor_and_agent, change, message):
    supervisor, agent = supervisor_and_agent
    data = {"employee": agent, "criterion": "fcr", "note": "good call", "request_id": "r1"} | change
    response = supervisor.post("/awards/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, LedgerEntry) == 0


def test_retired_criterion_cannot_be_awarded(app, supervisor_and_agent):
    supervisor, agent = supervisor_and_agent
    with app.app_context():
        db.session.scalar(select(Criterion).where(Criterion.code == "fcr")).active = False
        db.session.commit()
    response = supervisor.post(
        "/awards/new", data={"employee": agent, "criterion": "fcr", "note": "x", "request_id": "r"}
    )
    assert response.status_code == 422
    assert count(app, Award) == 0


def test_inactive_employee_cannot_be_awarded(app, client_as, make_employee):
    from pojo.awards import service
    from pojo.errors import DomainError
    from pojo.people.service import get_employee

    make_employee("gone", team="Alpha", active=False)
    boss = make_employee("boss", role="hr", team="Office")
    with app.app_context():
        with pytest.raises(DomainError, match="not active"):
            service.award(get_employee("boss"), "gone", "fcr", "thanks")
        assert boss


@pytest.mark.parametrize(
    "path",
    [
        "/people/%00/ledger",
        "/people/" + "a" * 5000 + "/ledger",
        "/ledger/entries/99999999999999999999/reverse",
        "/criteria/%ff%fe/edit",
        "/wallet?before=-1",
        "/wallet?before=abc",
        "/nowhere",
    ],
)
def test_odd_urls_never_crash(client_as, path):
    response = client_as("hr", team="Office").get(path)
    assert response.status_code < 500


def test_reversal_of_unknown_entry_is_404(client_as):
    assert (
        client_as("hr", team="Office")
        .post("/ledger/entries/424242/reverse", data={"reason": "x"})
        .status_code
        == 404
    )


def test_oversized_request_is_refused(make_app, databases, backend):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/login", data={"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
