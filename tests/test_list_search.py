"""Search and filters on the people list: matches, no matches, wildcards, bounds, paging, scope."""

import re

import pytest

from pojo.pagination import PER_PAGE


def names_on(response) -> list[str]:
    """The usernames listed in a people table, in order."""
    return re.findall(r'<small class="muted">@([\w.-]+)</small>', response.get_data(as_text=True))


@pytest.fixture
def people(make_employee):
    make_employee("anna.aho", team="Alpha", display_name="Anna Äijälä")
    make_employee("bo.berg", team="Beta", display_name="Bo Berg", temp=True)
    make_employee("cy.cole", team="Alpha", display_name="Cy 100%_Cole", active=False)
    make_employee("di.sup", team="Alpha", role="supervisor", display_name="Di Dahl")


def test_search_finds_people_by_part_of_the_name_in_any_case(client_as, people):
    hr = client_as("hr", team="Office")
    assert names_on(hr.get("/people?q=äIJÄ")) == ["anna.aho"]
    assert names_on(hr.get("/people?q=BERG")) == ["bo.berg"]
    assert names_on(hr.get("/people?q=cy.col")) == ["cy.cole"]  # the username too
    assert names_on(hr.get("/people?q=anna+aho")) == ["anna.aho"]  # every word must match
    page = hr.get("/people?q=berg").get_data(as_text=True)
    assert "1 match" in page and 'href="/people"' in page


def test_search_with_no_match_says_so_and_offers_to_clear(client_as, people):
    hr = client_as("hr", team="Office")
    response = hr.get("/people?q=zzz")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert names_on(response) == []
    assert "No one matches “zzz”." in page
    assert "Clear the search" in page


def test_wildcards_are_taken_literally(client_as, people):
    hr = client_as("hr", team="Office")
    assert names_on(hr.get("/people?q=%25")) == ["cy.cole"]
    assert names_on(hr.get("/people?q=100%25_")) == ["cy.cole"]
    assert names_on(hr.get("/people?q=_")) == ["cy.cole"]  # not "any one character"
    assert names_on(hr.get("/people?q=a%25o")) == []


def test_filters_narrow_by_team_role_employment_and_status(app, client_as, people):
    hr = client_as("hr", team="Office")
    with app.app_context():
        from pojo.people.service import get_employee

        beta = get_employee("bo.berg").team_id
    assert names_on(hr.get(f"/people?team={beta}")) == ["bo.berg"]
    assert names_on(hr.get("/people?role=supervisor")) == ["di.sup"]
    assert names_on(hr.get("/people?employment=temp")) == ["bo.berg"]
    assert names_on(hr.get("/people?active=no")) == ["cy.cole"]
    assert "cy.cole" not in names_on(hr.get("/people?active=yes"))
    assert "No one matches these filters." in hr.get(f"/people?team={beta}&role=hr").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "query",
    [
        "team=2147483648",
        "team=-1",
        f"team={10**20}",
        "team=abc",
        "role=king",
        "active=maybe",
        "q=" + "x" * 101,
        "q=" + "x" * 100_000,
        "ends_by=2026-13-40",
        "ends_by=1999-12-31",
    ],
)
def test_bad_filters_get_a_clear_message_not_a_500(client_as, people, query):
    response = client_as("hr", team="Office").get(f"/people?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Correct the search above to see the list." in page
    assert 'class="field-error"' in page


@pytest.mark.parametrize("query", ["q=", "team=", "q=%20%20", "q=" + "x" * 100])
def test_blank_or_longest_search_is_accepted(client_as, people, query):
    assert client_as("hr", team="Office").get(f"/people?{query}").status_code == 200


def test_nul_in_the_search_is_refused(client_as, people):
    assert client_as("hr", team="Office").get("/people?q=a%00b").status_code == 400


def test_paging_keeps_the_search(app, client_as, make_employee):
    for number in range(PER_PAGE + 2):
        make_employee(f"match-{number:02d}", team="Alpha", display_name=f"Match {number:02d}")
    make_employee("other", team="Alpha", display_name="Someone Else")
    hr = client_as("hr", team="Office")
    first = hr.get("/people?q=match&team=")
    assert len(names_on(first)) == PER_PAGE
    following = re.search(r'rel="next" href="([^"]+)"', first.get_data(as_text=True))
    second = hr.get(following.group(1).replace("&amp;", "&"))
    assert "q=match" in following.group(1)
    assert sorted(names_on(second)) == ["match-25", "match-26"]
    assert f"{PER_PAGE + 2} matches" in second.get_data(as_text=True)


def test_a_supervisor_finds_nobody_outside_their_teams(client_as, people):
    supervisor = client_as("supervisor", team="Beta")
    assert names_on(supervisor.get("/people?q=anna")) == []
    assert names_on(supervisor.get("/people?q=bo")) == ["bo.berg"]
    page = supervisor.get("/people").get_data(as_text=True)
    assert ">Alpha</option>" not in page  # the team filter offers only their own teams
