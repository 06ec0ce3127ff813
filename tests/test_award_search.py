"""Search and filters on the awards list: person, criterion, note, team, giver, dates, scope."""

import re
from datetime import timedelta

import pytest

from pojo.awards.models import Award, Criterion
from pojo.awards.service import award
from pojo.database import utcnow
from pojo.extensions import db
from pojo.pagination import PER_PAGE
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work


def notes_on(response) -> list[str]:
    """The award notes listed, in order (each test's notes name its awards)."""
    return re.findall(r'class="muted award-note">([^<]*)<', response.get_data(as_text=True))


def make_criterion(code: str, name_en: str, name_fi: str) -> None:
    db.session.add(Criterion(code=code, tier="good", points=10, name_en=name_en, name_fi=name_fi))
    db.session.flush()


@pytest.fixture
def awards(app, make_employee):
    make_employee("sup.alpha", role="supervisor", team="Alpha", display_name="Sue Alpha")
    make_employee("sup.beta", role="supervisor", team="Beta", display_name="Sam Beta")
    make_employee("anna", team="Alpha", display_name="Anna Äijälä")
    make_employee("bo", team="Beta", display_name="Bo Berg")
    with app.app_context(), unit_of_work():
        make_criterion("t-fcr", "First-call resolution", "Ensikontaktiratkaisu")
        make_criterion("t-nps", "Happy customer", "Tyytyväinen asiakas")
        award(get_employee("sup.alpha"), "anna", "t-fcr", "note-a1 solved the 50% case")
        award(get_employee("sup.alpha"), "anna", "t-nps", "note-a2 kind words")
        award(get_employee("sup.beta"), "bo", "t-fcr", "note-b1 quick fix")
        old = award(get_employee("sup.beta"), "bo", "t-nps", "note-b2 last year")
        db.session.get(Award, old.id).created_at = utcnow() - timedelta(days=400)


def test_search_matches_person_criterion_note_or_giver_in_any_case(client_as, awards):
    hr = client_as("hr", team="Office")
    assert sorted(notes_on(hr.get("/awards?q=ÄIJÄLÄ"))) == [
        "note-a1 solved the 50% case",
        "note-a2 kind words",
    ]
    assert sorted(notes_on(hr.get("/awards?q=first-call"))) == [
        "note-a1 solved the 50% case",
        "note-b1 quick fix",
    ]
    assert notes_on(hr.get("/awards?q=tyytyväinen+bo")) == ["note-b2 last year"]
    assert notes_on(hr.get("/awards?q=QUICK")) == ["note-b1 quick fix"]
    assert len(notes_on(hr.get("/awards?q=sam+beta"))) == 2


def test_wildcards_in_the_search_are_literal(client_as, awards):
    hr = client_as("hr", team="Office")
    assert notes_on(hr.get("/awards?q=50%25")) == ["note-a1 solved the 50% case"]
    assert notes_on(hr.get("/awards?q=note_a")) == []


def test_filters_by_team_criterion_giver_and_dates(app, client_as, awards):
    hr = client_as("hr", team="Office")
    with app.app_context():
        beta = get_employee("bo").team_id
        fcr = db.session.scalar(db.select(Criterion.id).where(Criterion.code == "t-fcr"))
        sue = get_employee("sup.alpha").id
    assert sorted(notes_on(hr.get(f"/awards?team={beta}"))) == [
        "note-b1 quick fix",
        "note-b2 last year",
    ]
    assert len(notes_on(hr.get(f"/awards?criterion={fcr}"))) == 2
    assert len(notes_on(hr.get(f"/awards?giver={sue}"))) == 2
    a_year_ago = (utcnow() - timedelta(days=365)).date().isoformat()
    assert "note-b2 last year" not in notes_on(hr.get(f"/awards?since={a_year_ago}"))
    assert notes_on(hr.get(f"/awards?until={a_year_ago}")) == ["note-b2 last year"]
    page = hr.get(f"/awards?team={beta}&giver={sue}").get_data(as_text=True)
    assert "No award matches these filters." in page and "Clear the filters" in page


def test_no_match_names_the_search(client_as, awards):
    page = client_as("hr", team="Office").get("/awards?q=zebra").get_data(as_text=True)
    assert "No award matches “zebra”." in page and "Clear the search" in page


@pytest.mark.parametrize(
    "query",
    [
        "team=2147483648",
        f"criterion={10**20}",
        "giver=-1",
        "since=2026-02-30",
        "until=10000-01-01",
        "since=2026-12-24&until=2026-12-01",
        "q=" + "y" * 100_000,
    ],
)
def test_bad_filters_get_a_message_not_a_500(client_as, awards, query):
    response = client_as("hr", team="Office").get(f"/awards?{query}")
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_a_supervisor_finds_only_their_teams_awards(client_as, awards):
    supervisor = client_as("supervisor", team="Beta")
    assert notes_on(supervisor.get("/awards?q=anna")) == []
    assert notes_on(supervisor.get("/awards?q=note-a")) == []
    assert len(notes_on(supervisor.get("/awards?q=note"))) == 2
    assert "Sue Alpha" not in supervisor.get("/awards").get_data(as_text=True)


def test_paging_keeps_the_filters(app, client_as, make_employee):
    make_employee("giver", role="hr", team="Office")
    make_employee("cara", team="Alpha", display_name="Cara")
    with app.app_context(), unit_of_work():
        make_criterion("t-fcr", "First-call resolution", "Ensikontaktiratkaisu")
        for number in range(PER_PAGE + 2):
            award(get_employee("giver"), "cara", "t-fcr", f"note-{number:02d} match")
        award(get_employee("giver"), "cara", "t-fcr", "note-xx other")
    hr = client_as("hr", team="Office")
    first = hr.get("/awards?q=match").get_data(as_text=True)
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "q=match" in following
    assert notes_on(hr.get(following)) == ["note-01 match", "note-00 match"]
    assert f"{PER_PAGE + 2} matches" in first


def test_an_empty_awards_list_offers_to_award(client_as):
    page = client_as("supervisor", team="Alpha").get("/awards").get_data(as_text=True)
    assert "No awards yet." in page
    assert 'href="/awards/new"' in page
