"""Agents read what earned their points in words; codes and external ids are for HR."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from pojo.database import utcnow
from pojo.outcomes.recording import record_outcomes
from pojo.outcomes.service import OutcomeInput
from pojo.unit_of_work import unit_of_work

OCCURRED = utcnow() - timedelta(days=2)
# Pages show dates in the site's zone (Europe/Helsinki), which is a day ahead late in the UTC evening.
SHOWN = OCCURRED.astimezone(ZoneInfo("Europe/Helsinki"))


def record(app, username, kind, external_id, score=None):
    with app.app_context(), unit_of_work():
        made = record_outcomes(
            None, [OutcomeInput(1, external_id, username, kind, score, OCCURRED)], "api"
        )
    assert made.accepted == 1


@pytest.fixture
def agent_with_outcomes(app, make_employee):
    agent = make_employee("aino", team="Alpha")
    record(app, agent, "fcr", "fcr-20261123-02595")
    record(app, agent, "promise_kept", "pk-20261123-00017")
    record(app, agent, "nps", "nps-20261123-00441", score=10)
    return agent


def test_the_wallet_names_each_outcome_and_its_date_not_its_codes(app, agent_with_outcomes, login):
    wallet = login(app.test_client(), agent_with_outcomes).get("/wallet").get_data(as_text=True)
    for code in ("fcr-20261123-02595", "pk-20261123-00017", "nps-20261123-00441"):
        assert code not in wallet
    assert "fcr ·" not in wallet and "promise_kept" not in wallet and "nps 10" not in wallet
    day = f"{SHOWN.day} {SHOWN:%b} {SHOWN:%Y}"  # day first, as in Britain
    assert f"First-contact resolution on {day}" in wallet
    assert f"Customer promise on {day}" in wallet
    assert f"Customer survey, score 10, on {day}" in wallet


def test_the_wallet_names_outcomes_in_finnish(app, make_employee, login):
    agent = make_employee("aino", team="Alpha", language="fi")
    record(app, agent, "fcr", "fcr-20261123-02595")
    wallet = login(app.test_client(), agent).get("/wallet").get_data(as_text=True)
    assert "fcr-20261123-02595" not in wallet
    assert "Ratkaistu ensimmäisellä yhteydellä" in wallet  # the criterion
    assert f"Ensikontaktiratkaisu {SHOWN.day}.{SHOWN.month}.{SHOWN.year}" in wallet


def test_hr_sees_the_external_id_on_a_persons_ledger(app, agent_with_outcomes, client_as):
    hr = client_as("hr", team="Office")
    page = hr.get(f"/people/{agent_with_outcomes}/ledger").get_data(as_text=True)
    assert "fcr-20261123-02595" in page
    assert "First-contact resolution on" in page


def test_a_supervisor_sees_words_not_external_ids(app, agent_with_outcomes, client_as):
    supervisor = client_as("supervisor", team="Alpha")
    page = supervisor.get(f"/people/{agent_with_outcomes}/ledger").get_data(as_text=True)
    assert "fcr-20261123-02595" not in page and "First-contact resolution on" in page


def test_a_manual_awards_note_is_still_shown(app, client_as, make_employee, login):
    supervisor = client_as("supervisor", team="Alpha")
    agent = make_employee("aino", team="Alpha")
    supervisor.post(
        "/awards/new",
        data={
            "employee": agent,
            "criterion": "fcr",
            "note": "Sorted it in one call",
            "request_id": "r",
        },
    )
    assert "Sorted it in one call" in login(app.test_client(), agent).get("/wallet").get_data(
        as_text=True
    )


def test_agents_see_no_codes_on_the_criteria_page(client_as):
    page = client_as("agent").get("/criteria").get_data(as_text=True)
    for code in (
        "quality_excellent",
        "nps_10",
        "helped_colleague",
        "promise_kept",
        ">nps<",
        ">fcr<",
    ):
        assert code not in page, code
    assert "Excellent quality review" in page
    assert "Customer survey" in page and "Customer promise" in page


def test_hr_sees_the_codes_they_use_in_rules_and_imports(client_as):
    page = client_as("hr", team="Office").get("/criteria").get_data(as_text=True)
    assert "<code>quality_excellent</code>" in page
    assert "<code>promise_kept</code>" in page
