"""Shifts: planning single shifts, the roster import, and the pages people read."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from pojo.extensions import db
from pojo.people.models import Employee
from pojo.shifts.models import Shift
from pojo.unit_of_work import unit_of_work

HEADER = "employee,starts_at,ends_at,label\n"
# A week ahead, at a whole hour, in UTC+02:00 (Helsinki in winter).
START = (datetime.now(UTC) + timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)


def at(hours: float) -> str:
    return (START + timedelta(hours=hours)).astimezone().isoformat()


def csv_file(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def upload(client, data: bytes):
    return client.post(
        "/shifts/import",
        data={"file": (io.BytesIO(data), "roster.csv")},
        content_type="multipart/form-data",
    )


def apply(client, data: bytes):
    return client.post("/shifts/import/apply", data={"content": data.decode()})


def shift_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Shift))


def add_shift(app, username, starts: float = 0, hours: float = 8, label=""):
    """A planned shift, written straight to the roster (as the demo and an import do)."""
    with app.app_context(), unit_of_work():
        employee = db.session.scalar(select(Employee).where(Employee.username == username))
        shift = Shift(
            employee_id=employee.id,
            team_id=employee.team_id,
            starts_at=START + timedelta(hours=starts),
            ends_at=START + timedelta(hours=starts + hours),
            label=label,
        )
        db.session.add(shift)
        db.session.flush()
        return shift.id


@pytest.fixture
def hr(client_as):
    return client_as("hr", team=None)


def test_import_preview_lists_rejected_rows_with_their_lines_and_applies_nothing(
    app, hr, make_employee
):
    agent = make_employee()
    data = csv_file(
        f"{agent},{at(0)},{at(8)},Christmas Eve evening",
        f"nobody,{at(0)},{at(8)},",
        f"{agent},{at(4)},{at(10)},",
        f"{agent},{at(30)},{at(20)},",
        f"{agent},{at(-24 * 30)},{at(-24 * 30 + 8)},",
        f"{agent},{at(50)},{at(80)},",
        f"{agent},2026-12-24T16:00,{at(8)},",
    )
    page = upload(hr, data).get_data(as_text=True)
    assert "Rejected rows" in page
    for line, words in (
        (3, "No employee nobody"),
        (4, "overlaps the shift on line 2"),
        (5, "must end after it starts"),
        (6, "starts in the past"),
        (7, "at most 24 hours"),
        (8, "with an offset"),
    ):
        assert f'<td class="num">{line}</td><td>' in page and words in page, (line, words)
    response = apply(hr, data)
    assert response.status_code == 422
    assert "nothing was imported" in response.get_data(as_text=True)
    assert shift_count(app) == 0


def test_the_same_roster_imported_twice_changes_nothing_the_second_time(app, hr, make_employee):
    agent, other = make_employee(), make_employee()
    data = csv_file(
        f"{agent},{at(0)},{at(8)},Christmas Eve evening",
        f"{agent},{at(24)},{at(32)},",
        f"{other},{at(0)},{at(8)},",
    )
    assert "New shifts" in upload(hr, data).get_data(as_text=True)
    assert apply(hr, data).status_code == 302
    assert shift_count(app) == 3
    page = upload(hr, data).get_data(as_text=True)
    assert "Nothing to change" in page
    assert apply(hr, data).status_code == 302
    assert shift_count(app) == 3
    with app.app_context():
        labels = sorted(db.session.scalars(select(Shift.label)))
    assert labels == ["", "", "Christmas Eve evening"]


def test_an_import_overlapping_a_planned_shift_is_refused(app, hr, make_employee):
    agent = make_employee()
    add_shift(app, agent, starts=0)
    page = upload(hr, csv_file(f"{agent},{at(6)},{at(12)},")).get_data(as_text=True)
    assert '<td class="num">2</td>' in page and "overlaps another shift" in page
    assert shift_count(app) == 1


def test_cli_import_is_idempotent(app, runner, make_employee, tmp_path):
    agent = make_employee()
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file(f"{agent},{at(0)},{at(8)},", f"{agent},{at(24)},{at(32)},"))
    dry = runner.invoke(args=["shifts", "import", "--dry-run", str(path)])
    assert dry.exit_code == 0 and "2 new" in dry.output and "nothing changed" in dry.output
    assert shift_count(app) == 0
    first = runner.invoke(args=["shifts", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "2 new" in first.output
    again = runner.invoke(args=["shifts", "import", str(path)])
    assert "0 new, 0 changed, 2 unchanged" in again.output
    path.write_bytes(csv_file(f"ghost,{at(0)},{at(8)},"))
    bad = runner.invoke(args=["shifts", "import", str(path)])
    assert bad.exit_code == 1 and "line 2: unknown_employee" in bad.output
    assert shift_count(app) == 2


def test_a_supervisor_plans_their_team_and_cannot_touch_another_teams_shift(
    app, client_as, make_employee
):
    supervisor = client_as("supervisor", team="Alpha")
    mine, theirs = make_employee(team="Alpha"), make_employee(team="Bravo")
    with app.app_context():
        ids = dict(db.session.execute(select(Employee.username, Employee.id)).all())
        alpha = db.session.scalar(select(Employee.team_id).where(Employee.username == mine))
    start = START.astimezone()
    form = {
        "employee": ids[mine],
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "label": "Evening",
    }
    assert supervisor.post(f"/shifts/new?team={alpha}", data=form).status_code == 302
    assert shift_count(app) == 1
    # The same person at an overlapping time: refused, nothing added.
    overlapping = {**form, "label": "Again"}
    response = supervisor.post(f"/shifts/new?team={alpha}", data=overlapping)
    assert response.status_code == 422
    assert "overlaps another shift" in response.get_data(as_text=True)
    # In the past: refused.
    past = {
        **form,
        "starts_at": (start - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - timedelta(days=30, hours=-8)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = supervisor.post(f"/shifts/new?team={alpha}", data=past)
    assert response.status_code == 422 and "starts in the past" in response.get_data(as_text=True)
    assert shift_count(app) == 1

    other_shift = add_shift(app, theirs)
    with app.app_context():
        bravo = db.session.scalar(select(Employee.team_id).where(Employee.username == theirs))
    assert supervisor.get(f"/shifts/schedule?team={bravo}").status_code == 404
    assert supervisor.get(f"/shifts/new?team={bravo}").status_code == 404
    assert supervisor.get(f"/shifts/{other_shift}/edit").status_code == 404
    edited = {**form, "label": "Mine now"}
    assert supervisor.post(f"/shifts/{other_shift}/edit", data=edited).status_code == 404
    assert supervisor.post(f"/shifts/{other_shift}/delete").status_code == 404
    bravo_row = csv_file(f"{theirs},{at(48)},{at(56)},")
    page = upload(supervisor, bravo_row).get_data(as_text=True)
    assert "not in a team you plan" in page
    with app.app_context():
        assert db.session.get(Shift, other_shift).label == ""
    assert shift_count(app) == 2


def test_editing_and_deleting_a_shift(app, hr, make_employee):
    agent = make_employee()
    shift_id = add_shift(app, agent)
    start = (START + timedelta(hours=1)).astimezone()
    form = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M"),
        "label": "Late",
    }
    response = hr.post(f"/shifts/{shift_id}/edit", data=form)
    assert response.status_code == 422 and "at most 24 hours" in response.get_data(as_text=True)
    form["ends_at"] = (start + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")
    assert hr.post(f"/shifts/{shift_id}/edit", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Shift, shift_id).label == "Late"
    assert hr.post(f"/shifts/{shift_id}/delete").status_code == 302
    assert shift_count(app) == 0


def test_my_shifts_lists_only_mine(app, client_as, make_employee):
    agent = client_as("agent", team="Alpha")
    colleague = make_employee(team="Alpha")
    add_shift(app, agent.username, label="My evening")
    add_shift(app, colleague, label="Their evening")
    page = agent.get("/shifts").get_data(as_text=True)
    assert "My evening" in page and "Their evening" not in page
    assert agent.get("/shifts/schedule").status_code == 403


def test_the_schedule_shows_the_week_and_its_neighbours(app, hr, make_employee):
    agent = make_employee(team="Alpha")
    add_shift(app, agent, label="Christmas Eve evening")
    week = START.date() - timedelta(days=START.date().weekday())
    page = hr.get(f"/shifts/schedule?week={week.isoformat()}").get_data(as_text=True)
    assert "Christmas Eve evening" in page
    assert f"week={(week + timedelta(days=7)).isoformat()}" in page
    assert f"week={(week - timedelta(days=7)).isoformat()}" in page
    form = hr.get(f"/shifts/new?day={week.isoformat()}").get_data(as_text=True)
    assert f'value="{week.isoformat()}T09:00"' in form


@pytest.mark.parametrize(
    "query",
    [
        "week=2147483648",
        "week=-1",
        "week=",
        "week=" + "9" * 100_000,
        "week=2026-12-0%00",
        "week=9999-12-31",
        "week=2026-02-30",
        "team=2147483648",
        "team=-1",
        "team=",
        "team=" + "1" * 100_000,
        "team=1%00",
    ],
)
def test_bad_schedule_parameters_are_no_server_error(hr, query):
    for path in ("/shifts/schedule", "/shifts/new", "/shifts"):
        assert hr.get(f"{path}?{query}").status_code < 500, (path, query)
        day_query = query.replace("week=", "day=")
        assert hr.get(f"{path}?{day_query}").status_code < 500, (path, day_query)


@pytest.mark.parametrize("shift_id", ["2147483648", "-1", "0", "9" * 1000])
def test_bad_shift_ids_are_not_found(hr, shift_id):
    assert hr.get(f"/shifts/{shift_id}/edit").status_code == 404
    assert hr.post(f"/shifts/{shift_id}/delete").status_code in (404, 405)


def test_a_nul_or_huge_file_is_refused_with_a_message(app, hr):
    page = upload(hr, HEADER.encode() + b"a\x00b,,,\n").get_data(as_text=True)
    assert "NUL" in page
    page = upload(hr, HEADER.encode() + b"x" * (3 * 1024 * 1024)).get_data(as_text=True)
    assert "larger than" in page or "too large" in page.lower()
    assert shift_count(app) == 0


def test_the_demo_roster_spans_ten_weeks_with_christmas_and_enough_rest(app, make_employee):
    from types import SimpleNamespace

    from pojo.demo.roster import plan_roster
    from pojo.rows import site_zone

    names = ["aleksi.salminen", *(make_employee(team=team) for team in ("Alpha", "Bravo") * 3)]
    make_employee("aleksi.salminen", team="Alpha")
    today = datetime(2026, 12, 2).date()

    def roster(seed):
        with app.app_context(), unit_of_work():
            db.session.query(Shift).delete()
            people = db.session.scalars(select(Employee).where(Employee.username.in_(names)))
            agents = [
                SimpleNamespace(id=e.id, team_id=e.team_id, username=e.username, employee=e)
                for e in sorted(people, key=lambda e: e.username)
            ]
            plan_roster(agents, site_zone(), today, seed)
        with app.app_context():
            return [
                (s.employee.username, s.starts_at, s.ends_at, s.label)
                for s in db.session.scalars(
                    select(Shift).order_by(Shift.employee_id, Shift.starts_at)
                )
            ]

    shifts = roster(7)
    assert shifts == roster(7)
    zone = ZoneInfo("Europe/Helsinki")
    for seed, planned in ((7, shifts), (8, roster(8)), (9, roster(9))):
        for name in names:
            own = [s for s in planned if s[0] == name]
            first = own[0][1].astimezone(zone).date()
            last = own[-1][1].astimezone(zone).date()
            assert first <= today - timedelta(weeks=4) + timedelta(days=6)
            assert last >= today + timedelta(weeks=6) - timedelta(days=7)
            for before, after in zip(own, own[1:], strict=False):
                assert after[1] - before[2] >= timedelta(hours=11), (seed, before, after)
    eve = [s for s in shifts if s[3] == "Christmas Eve evening"]
    assert any(s[0] == "aleksi.salminen" for s in eve)
    assert all(s[1].astimezone(zone).date().isoformat() == "2026-12-24" for s in eve)


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("0001-01-01T00:00", "0001-01-01T08:00"),
        ("9999-12-31T14:00", "9999-12-31T22:00"),
        ("2026-12-24T16:00", "9999-12-31T23:59"),
        ("", ""),
        ("2147483648", "-1"),
        ("x" * 100_000, "a\x00b"),
    ],
)
def test_bad_times_in_the_shift_form_are_refused_without_a_server_error(
    app, hr, make_employee, starts, ends
):
    agent = make_employee(team="Alpha")
    with app.app_context():
        employee = db.session.scalar(select(Employee).where(Employee.username == agent))
        ids = (employee.id, employee.team_id)
    form = {"employee": ids[0], "starts_at": starts, "ends_at": ends, "label": "x"}
    response = hr.post(f"/shifts/new?team={ids[1]}", data=form)
    assert response.status_code in (400, 422)
    assert shift_count(app) == 0


def test_a_roster_row_in_a_far_year_is_rejected_with_its_line(app, hr, make_employee):
    agent = make_employee()
    page = upload(
        hr,
        csv_file(
            f"{agent},9999-12-31T20:00:00-05:00,9999-12-31T23:00:00-05:00,",
            f"{agent},{at(24 * 500)},{at(24 * 500 + 8)},",
        ),
    ).get_data(as_text=True)
    assert '<td class="num">2</td>' in page and "not in the years 2000–2100" in page
    assert '<td class="num">3</td>' in page and "check the year" in page
    assert shift_count(app) == 0


def test_ledger_verify_finds_two_shifts_of_one_person_at_once(app, runner, make_employee):
    agent = make_employee()
    add_shift(app, agent, starts=0)
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0
    add_shift(app, agent, starts=4)
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code != 0 and "no two shifts of one person overlap" in result.output
    with app.app_context(), unit_of_work():
        db.session.query(Shift).delete()


def test_the_schedule_and_my_shifts_run_as_many_statements_for_many_shifts_as_for_few(
    app, client_as, make_employee
):
    from tests.query_count import statements_for

    hr = client_as("hr", team=None)
    agent = client_as("agent", team="Alpha")
    add_shift(app, agent.username, starts=0)
    week = START.date() - timedelta(days=START.date().weekday())
    path = f"/shifts/schedule?week={week.isoformat()}"
    few, few_mine = statements_for(app, hr, path), statements_for(app, agent, "/shifts")
    for n in range(1, 6):
        add_shift(app, make_employee(team="Alpha"), starts=0, label=f"n{n}")
        add_shift(app, agent.username, starts=24 * n)
    assert statements_for(app, hr, path) == few
    assert statements_for(app, agent, "/shifts") == few_mine


def test_a_shift_that_has_begun_is_kept_as_worked(app, hr, make_employee):
    agent = make_employee()
    begun = add_shift(app, agent, starts=-24 * 8, hours=8)
    form = {"starts_at": "2030-01-01T08:00", "ends_at": "2030-01-01T16:00", "label": "Moved"}
    response = hr.post(f"/shifts/{begun}/edit", data=form)
    assert response.status_code == 422 and "kept as worked" in response.get_data(as_text=True)
    hr.post(f"/shifts/{begun}/delete")
    assert "kept as worked" in hr.get("/shifts/schedule").get_data(as_text=True)
    assert shift_count(app) == 1
