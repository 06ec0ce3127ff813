"""Supervisors award criteria to their own team; agents see the points at once."""

import re

from sqlalchemy import select

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry


def award_form(
    employee, criterion="fcr", note="Solved a billing mess in one call", request_id="r1"
):
    return {"employee": employee, "criterion": criterion, "note": note, "request_id": request_id}


def test_supervisor_award_shows_in_agents_wallet_with_note(app, client_as, make_employee, login):
    supervisor = client_as("supervisor", team="Alpha")
    agent = make_employee("aino", team="Alpha")
    response = supervisor.post("/awards/new", data=award_form(agent))
    assert response.status_code == 302
    wallet = login(app.test_client(), agent).get("/wallet").get_data(as_text=True)
    assert "Solved a billing mess in one call" in wallet
    assert ">20<" in wallet  # the balance: fcr is worth 20 points
    assert "First-contact resolution" in wallet  # the criterion, with the note


def test_award_outside_own_team_is_refused_and_changes_nothing(app, client_as, make_employee):
    supervisor = client_as("supervisor", team="Alpha")
    outsider = make_employee("bertta", team="Beta")
    response = supervisor.post("/awards/new", data=award_form(outsider))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(LedgerEntry).limit(1)) is None


def test_self_award_is_refused(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post("/awards/new", data=award_form(hr.username))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Award).limit(1)) is None


def test_double_submitted_award_form_awards_once(app, client_as, make_employee):
    supervisor = client_as("supervisor", team="Alpha")
    agent = make_employee(team="Alpha")
    for _ in range(2):
        supervisor.post("/awards/new", data=award_form(agent, request_id="same-form"))
    with app.app_context():
        assert len(db.session.scalars(select(Award)).all()) == 1


def test_agent_cannot_open_award_form(client_as):
    assert client_as("agent").get("/awards/new").status_code == 403


def test_award_over_team_budget_is_refused_with_message(app, client_as, make_employee):
    with app.app_context():
        from pojo.people.service import get_or_create_team
        from pojo.unit_of_work import unit_of_work

        with unit_of_work():
            get_or_create_team("Alpha").monthly_award_budget = 30
    supervisor = client_as("supervisor", team="Alpha")
    agent = make_employee(team="Alpha")
    assert supervisor.post("/awards/new", data=award_form(agent, request_id="a")).status_code == 302
    response = supervisor.post("/awards/new", data=award_form(agent, request_id="b"))
    assert response.status_code == 422
    assert "budget" in response.get_data(as_text=True)


def test_wallet_names_the_reward_behind_a_redemption(app, make_employee, login):
    from pojo.awards import service as awards
    from pojo.market import catalogue, redemptions
    from pojo.people.service import get_employee
    from pojo.unit_of_work import unit_of_work

    agent = make_employee("aino", team="Alpha")
    make_employee("hanna", role="hr", team="Office")
    with app.app_context(), unit_of_work():
        hr = get_employee("hanna")
        awards.award(hr, agent, "quality_excellent", "superb")
        hoodie = catalogue.create_reward(
            hr, name_en="Pojo hoodie", name_fi="Pojo-huppari", base_price=60
        )
        redemptions.redeem(get_employee(agent), hoodie.id, 80)
    wallet = login(app.test_client(), agent).get("/wallet").get_data(as_text=True)
    assert 'class="entry-label">Pojo hoodie<' in wallet  # in the history, not only the pending list


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown under one field of the page's form."""
    found = re.search(rf'name="{field}".*?(?=<div class="field|<button)', html, re.S)
    assert found, f"no field {field}"
    return re.findall(r'<p class="field-error">([^<]*)</p>', found.group(0))


def test_awarding_someone_outside_the_team_says_so_at_the_employee_field(
    app, client_as, make_employee
):
    supervisor = client_as("supervisor", team="Alpha")
    make_employee("bertta", team="Beta", display_name="Bertta Beta")
    response = supervisor.post("/awards/new", data=award_form("bertta"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_errors(page, "employee") == ["Bertta Beta is not in a team you supervise."]
    assert "Not a valid choice" not in page


def test_awarding_someone_outside_the_team_says_so_in_finnish(app, make_app, make_employee, login):
    supervisor = make_employee(role="supervisor", team="Alpha", language="fi")
    make_employee("bertta", team="Beta", display_name="Bertta Beta")
    client = login(app.test_client(), supervisor)
    page = client.post("/awards/new", data=award_form("bertta")).get_data(as_text=True)
    assert "Virheellinen valinta" not in page
    assert field_errors(page, "employee") == ["Bertta Beta ei ole tiimissä, jonka esihenkilö olet."]


def test_the_award_form_states_the_note_limit_and_loads_the_counter(client_as):
    page = client_as("supervisor", team="Alpha").get("/awards/new").get_data(as_text=True)
    assert "At most 500 characters." in page
    assert 'data-counter-for="note"' in page and 'data-max="500"' in page
    assert "js/counter.js" in page
    # The browser must not cut a pasted note silently: the counter and the server say it.
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert "maxlength" not in textarea


def test_an_over_long_note_is_refused_with_its_length_and_kept_for_editing(
    app, client_as, make_employee
):
    supervisor = client_as("supervisor", team="Alpha")
    agent = make_employee(team="Alpha")
    note = ("Great call. " * 417).strip()  # 5,003 characters
    response = supervisor.post("/awards/new", data=award_form(agent, note=note))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_errors(page, "note") == [
        "The note is 5,003 characters long; at most 500 fit. Shorten it and send again."
    ]
    assert note in page
    with app.app_context():
        assert db.session.scalar(select(Award).limit(1)) is None


def test_a_note_of_exactly_the_limit_is_accepted_counting_a_newline_once(
    app, client_as, make_employee
):
    supervisor = client_as("supervisor", team="Alpha")
    agent = make_employee(team="Alpha")
    note = "a" * 249 + "\r\n" + "b" * 250  # what a browser sends for 500 typed characters
    assert supervisor.post("/awards/new", data=award_form(agent, note=note)).status_code == 302
