"""Search and filters on the outcomes page: outcomes by person, id, team, kind and day; imports."""

import re
from datetime import timedelta

import pytest

from pojo.database import utcnow
from pojo.outcomes.imports import confirm_upload, upload
from pojo.outcomes.recording import record_outcomes
from pojo.outcomes.service import OutcomeInput
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work


def ids_on(response) -> list[str]:
    """The external ids of the outcomes listed."""
    return re.findall(r'<small class="muted">(ext-[^<]*)</small>', response.get_data(as_text=True))


@pytest.fixture
def outcomes(app, make_employee):
    make_employee("recorder", role="hr", team="Office")
    make_employee("anna", team="Alpha", display_name="Anna Äijälä")
    make_employee("bo", team="Beta", display_name="Bo Berg")
    now = utcnow()
    with app.app_context(), unit_of_work():
        record_outcomes(
            get_employee("recorder"),
            [
                OutcomeInput(1, "ext-a1", "anna", "nps", 10, now),
                OutcomeInput(2, "ext-a2_x", "anna", "fcr", None, now - timedelta(days=40)),
                OutcomeInput(3, "ext-b1", "bo", "nps", 9, now),
            ],
            "api",
        )


def test_search_matches_the_person_or_the_external_id(client_as, outcomes):
    hr = client_as("hr", team="Office")
    assert sorted(ids_on(hr.get("/outcomes?q=äijälä"))) == ["ext-a1", "ext-a2_x"]
    assert ids_on(hr.get("/outcomes?q=EXT-B")) == ["ext-b1"]
    assert ids_on(hr.get("/outcomes?q=a2_")) == ["ext-a2_x"]
    assert ids_on(hr.get("/outcomes?q=a_1")) == []  # "_" is no wildcard
    assert "1 match" in hr.get("/outcomes?q=ext-b").get_data(as_text=True)


def test_filters_by_team_kind_and_day(app, client_as, outcomes):
    hr = client_as("hr", team="Office")
    with app.app_context():
        beta = get_employee("bo").team_id
    assert ids_on(hr.get(f"/outcomes?team={beta}")) == ["ext-b1"]
    assert ids_on(hr.get("/outcomes?kind=fcr")) == ["ext-a2_x"]
    month_ago = (utcnow() - timedelta(days=30)).date().isoformat()
    assert ids_on(hr.get(f"/outcomes?until={month_ago}")) == ["ext-a2_x"]
    assert sorted(ids_on(hr.get(f"/outcomes?since={month_ago}"))) == ["ext-a1", "ext-b1"]
    page = hr.get(f"/outcomes?team={beta}&kind=fcr").get_data(as_text=True)
    assert "No outcome matches these filters." in page


def test_a_supervisor_finds_only_their_teams_outcomes(client_as, outcomes):
    supervisor = client_as("supervisor", team="Beta")
    assert ids_on(supervisor.get("/outcomes?q=anna")) == []
    assert ids_on(supervisor.get("/outcomes?q=ext")) == ["ext-b1"]


@pytest.mark.parametrize(
    "query", ["team=99999999999", "kind=<script>", "status=done", "since=x", "q=" + "z" * 101]
)
def test_bad_filters_get_a_message_not_a_500(client_as, outcomes, query):
    response = client_as("hr", team="Office").get(f"/outcomes?{query}")
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_imports_are_filtered_by_status_and_file_name(app, client_as, make_employee):
    make_employee("anna", team="Alpha")
    hr = client_as("hr", team="Office")
    with app.app_context(), unit_of_work():
        actor = get_employee(hr.username)
        found = upload(
            actor,
            "december_nps.csv",
            b"external_id,employee,kind,score,occurred_at\nc1,anna,nps,10,2026-12-01T10:00:00Z\n",
        )
        upload_id = found.id
    with app.app_context(), unit_of_work():
        confirm_upload(get_employee(hr.username), upload_id, skip_invalid=False)
    assert "december_nps.csv" in hr.get("/outcomes?status=applied").get_data(as_text=True)
    pending = hr.get("/outcomes?status=pending").get_data(as_text=True)
    assert "december_nps.csv" not in pending and "No import matches these filters." in pending
    assert "december_nps.csv" in hr.get("/outcomes?q=DECEMBER").get_data(as_text=True)
    assert "december_nps.csv" not in hr.get("/outcomes?q=november").get_data(as_text=True)


def test_an_empty_outcomes_page_offers_the_import(client_as):
    page = client_as("hr", team="Office").get("/outcomes").get_data(as_text=True)
    assert "No outcomes yet." in page and 'href="/outcomes/import"' in page
