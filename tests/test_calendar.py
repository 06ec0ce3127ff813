"""One's own shifts as an iCalendar feed: the API's, and the secret link a phone subscribes to."""

import hashlib
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from pojo.extensions import db
from pojo.people.service import deactivate, get_employee
from pojo.shifts.models import CalendarFeed, Shift
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD, csrf_token_from
from tests.test_api import api_client
from tests.test_shifts import add_shift

FEED_URL = re.compile(r'id="calendar-url"[^>]*>([^<]+)</textarea>')


def parse(response) -> Calendar:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def shift_times(app, shift_id):
    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        return shift.starts_at, shift.ends_at


def make_link(client) -> str:
    """Make a calendar link on My shifts; the path it shows, once."""
    response = client.post("/shifts/calendar/link")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    url = FEED_URL.search(response.get_data(as_text=True)).group(1)
    return urlsplit(url).path


def test_api_feed_has_exactly_the_callers_shifts_with_their_times(app, make_employee):
    agent = make_employee("aino", team="Alpha")
    colleague = make_employee("bea", team="Alpha")
    evening = add_shift(app, agent, 0, 8, label="Christmas Eve evening")
    plain = add_shift(app, agent, 24, 8)
    recent = add_shift(app, agent, -24 * 17, 8)  # ten days ago: still in the feed
    add_shift(app, agent, -24 * 47, 8)  # forty days ago: left out
    add_shift(app, colleague, 0, 8, label="Bea's shift")

    calendar = parse(api_client(app, agent).get("/api/v1/shifts.ics"))

    events = events_by_uid(calendar)
    assert set(events) == {f"shift-{n}@pojo" for n in (evening, plain, recent)}
    for shift_id in (evening, plain, recent):
        event = events[f"shift-{shift_id}@pojo"]
        starts, ends = shift_times(app, shift_id)
        assert (event.start, event.end) == (starts, ends)
        assert event.start.utcoffset() == timedelta(0)  # written in UTC
        assert "DTSTAMP" in event
    assert str(events[f"shift-{evening}@pojo"]["SUMMARY"]) == "Christmas Eve evening"
    assert str(events[f"shift-{plain}@pojo"]["SUMMARY"]) == "Shift"
    assert str(events[f"shift-{plain}@pojo"]["DESCRIPTION"]) == "Team Alpha"
    assert "Bea" not in calendar.to_ical().decode()
    assert str(calendar["X-WR-CALNAME"]) == "Pojo – my shifts"
    assert calendar["PRODID"] == "-//Pojo//Shifts//EN"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"


def test_feed_is_worded_in_the_employees_own_language(app, make_employee):
    agent = make_employee("aleksi", team="Alpha", language="fi")
    shift_id = add_shift(app, agent)

    calendar = parse(api_client(app, agent).get("/api/v1/shifts.ics"))

    event = events_by_uid(calendar)[f"shift-{shift_id}@pojo"]
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"])) == ("Vuoro", "Tiimi Alpha")
    assert str(calendar["X-WR-CALNAME"]) == "Pojo – omat vuorot"


def test_feed_of_someone_without_shifts_is_an_empty_calendar(app, make_employee):
    calendar = parse(api_client(app, make_employee()).get("/api/v1/shifts.ics"))
    assert calendar.walk("VEVENT") == []


def test_api_feed_needs_the_bearer_token_not_a_session(app, client, client_as):
    assert client.get("/api/v1/shifts.ics").status_code == 401
    assert client_as("agent").get("/api/v1/shifts.ics").status_code == 401
    bad = client.get("/api/v1/shifts.ics", headers={"Authorization": "Bearer pojo_nope"})
    assert bad.status_code == 401
    assert bad.get_json()["error"]["code"] == "unauthorized"


def test_api_feed_is_in_the_openapi_document_as_text_calendar(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/shifts.ics"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"text/calendar"}
    assert operation["responses"]["200"]["content"]["text/calendar"]["schema"]["type"] == "string"
    assert "401" in operation["responses"]


def test_secret_link_works_without_login_and_sets_no_cookie(app, client_as, make_employee):
    agent = client_as("agent", team="Alpha")
    shift_id = add_shift(app, agent.username)
    add_shift(app, make_employee("bea", team="Alpha"))
    path = make_link(agent)

    stranger = app.test_client()
    response = stranger.get(path)

    assert set(events_by_uid(parse(response))) == {f"shift-{shift_id}@pojo"}
    assert "Set-Cookie" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_link_token_is_stored_only_as_its_hash(app, client_as):
    agent = client_as("agent")
    token = make_link(agent).rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        feeds = db.session.scalars(select(CalendarFeed)).all()
        assert [feed.token_hash for feed in feeds] == [hashlib.sha256(token.encode()).hexdigest()]
        for row in db.session.execute(select(CalendarFeed.__table__)).all():
            assert not any(token in str(value) for value in row)
    assert len(token) == 43


def test_my_shifts_shows_the_link_once_then_only_that_it_is_active(app, client_as):
    agent = client_as("agent")
    page = agent.get("/shifts").get_data(as_text=True)
    assert "Calendar subscription" in page and "Make a calendar link" in page
    path = make_link(agent)

    page = agent.get("/shifts").get_data(as_text=True)

    assert "Link active" in page and "Replace link" in page and "Stop the link" in page
    assert path not in page and "Make a calendar link" not in page


def test_replacing_the_link_ends_the_old_one(app, client, client_as):
    agent = client_as("agent")
    old = make_link(agent)
    new = make_link(agent)

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    with app.app_context():
        live = db.session.scalars(select(CalendarFeed).where(CalendarFeed.revoked_at.is_(None)))
        assert len(live.all()) == 1


def test_stopping_the_link_ends_it(app, client, client_as):
    agent = client_as("agent")
    path = make_link(agent)

    response = agent.post("/shifts/calendar/stop", follow_redirects=True)

    assert "Calendar link stopped" in response.get_data(as_text=True)
    assert client.get(path).status_code == 404
    assert "Make a calendar link" in agent.get("/shifts").get_data(as_text=True)
    # Nothing left to stop: no message, no error.
    again = agent.post("/shifts/calendar/stop", follow_redirects=True)
    assert again.status_code == 200
    assert "Calendar link stopped" not in again.get_data(as_text=True)


def test_inactive_employees_link_is_not_found(app, client, client_as):
    agent = client_as("agent")
    path = make_link(agent)
    with app.app_context(), unit_of_work():
        get_employee(agent.username).active = False
    assert client.get(path).status_code == 404
    with app.app_context(), unit_of_work():
        get_employee(agent.username).active = True
    assert client.get(path).status_code == 200


def test_deactivation_ends_the_link_for_good(app, client, client_as):
    agent = client_as("agent", temp=True)
    path = make_link(agent)
    with app.app_context(), unit_of_work():
        deactivate(get_employee(agent.username))
    with app.app_context(), unit_of_work():
        get_employee(agent.username).active = True  # re-hired: the old link stays dead
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "A" * 43,  # well formed, never made
        "A" * 42,
        "A" * 44,
        "a" * 5000,
        "%ff%fe" + "A" * 37,
        "A" * 40 + "%20%0a",
        "..%2f" + "A" * 38,
        "'%3B--" + "A" * 37,
    ],
)
def test_bad_tokens_are_not_found(client, token):
    assert client.get(f"/shifts/calendar/{token}.ics").status_code == 404


def test_empty_and_nul_tokens_are_refused_without_a_crash(client):
    assert client.get("/shifts/calendar/.ics").status_code == 404
    # NUL is refused everywhere before routing (pojo.web), a 400 with its message.
    assert client.get("/shifts/calendar/%00.ics").status_code == 400
    assert client.get("/shifts/calendar/" + "A" * 42 + "%00.ics").status_code == 400


def test_a_token_of_another_link_kind_does_not_open_the_feed(app, client, make_employee):
    """An API token is not a calendar link, nor the other way round."""
    from tests.test_api import token_for

    api_token = token_for(app, make_employee())
    assert client.get(f"/shifts/calendar/{api_token}.ics").status_code == 404


def test_link_forms_need_a_csrf_token(make_app, make_employee):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    username = make_employee()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_token_from(page)},
    )
    mine = client.get("/shifts").get_data(as_text=True)

    assert client.post("/shifts/calendar/link").status_code == 400
    assert client.post("/shifts/calendar/stop").status_code == 400
    token = csrf_token_from(mine)
    made = client.post("/shifts/calendar/link", data={"csrf_token": token})
    assert made.status_code == 200 and FEED_URL.search(made.get_data(as_text=True))
    assert client.post("/shifts/calendar/stop", data={"csrf_token": token}).status_code == 302
    with csrf_app.app_context():
        assert db.session.scalars(select(CalendarFeed.revoked_at)).one() is not None


def test_visitors_cannot_make_or_stop_links(client):
    for path in ("/shifts/calendar/link", "/shifts/calendar/stop"):
        response = client.post(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_link_page_tells_how_to_subscribe_on_a_phone(app, client_as):
    agent = client_as("agent")
    page = agent.post("/shifts/calendar/link").get_data(as_text=True)
    url = FEED_URL.search(page).group(1)
    assert url.startswith("http://pojo.test/shifts/calendar/") and url.endswith(".ics")
    assert 'href="webcal://pojo.test/shifts/calendar/' in page
    assert "shown only this once" in page and "iPhone" in page and "Google" in page


def test_feed_is_bounded_to_the_most_events(app, make_employee, monkeypatch):
    from pojo.shifts import calendar

    monkeypatch.setattr(calendar, "MOST_EVENTS", 3)
    agent = make_employee()
    ids = [add_shift(app, agent, 24 * day, 8) for day in range(5)]
    events = events_by_uid(parse(api_client(app, agent).get("/api/v1/shifts.ics")))
    assert set(events) == {f"shift-{n}@pojo" for n in ids[:3]}  # the soonest


def test_a_shift_moved_to_a_colleague_leaves_the_old_owners_feed(app, make_employee):
    agent = make_employee("aino", team="Alpha")
    colleague = make_employee("bea", team="Alpha")
    shift_id = add_shift(app, agent, 24 * 3)
    with app.app_context(), unit_of_work():
        db.session.get(Shift, shift_id).employee_id = get_employee(colleague).id

    assert events_by_uid(parse(api_client(app, agent).get("/api/v1/shifts.ics"))) == {}
    moved = events_by_uid(parse(api_client(app, colleague).get("/api/v1/shifts.ics")))
    assert set(moved) == {f"shift-{shift_id}@pojo"}


def test_link_says_https_when_the_site_is_served_over_https(make_app, make_employee, login):
    secure_app = make_app(SESSION_COOKIE_SECURE=True)
    client = secure_app.test_client()
    login(client, make_employee())
    # The proxy in front speaks HTTPS to the phone and plain HTTP to the app.
    page = client.post("/shifts/calendar/link").get_data(as_text=True)
    assert FEED_URL.search(page).group(1).startswith("https://pojo.test/shifts/calendar/")
