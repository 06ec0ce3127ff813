"""Nobody earns points from outcomes they record themselves; supervisors' imports wait for HR."""

import html
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pojo.extensions import db
from pojo.ledger.models import Balance
from pojo.notifications.models import Notification
from pojo.outcomes.models import OutcomeImport
from pojo.people.models import Employee, Team
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.test_api import api_client
from tests.test_api_outcomes import outcome
from tests.test_outcomes import counts, csv_file, preview_of, upload


def days_ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


RECENT = days_ago(2)


def balance(app, username) -> int:
    with app.app_context():
        employee_id = get_employee(username).id
        return db.session.get(Balance, employee_id).points


def notices(client) -> list[str]:
    """What the logged-in employee's notification list says, newest first."""
    page = client.get("/notifications").get_data(as_text=True)
    return [
        html.unescape(text)
        for text in re.findall(r'<li class="notification.*?<p>(?:<a [^>]*>)?([^<]+)', page, re.S)
    ]


def nps_rows(username: str, n: int, prefix="r") -> list[str]:
    return [f"{prefix}{i},{username},nps,10,{RECENT}" for i in range(n)]


# Self-award ---------------------------------------------------------------------


def test_supervisor_cannot_earn_from_a_csv_naming_himself(app, client_as):
    supervisor = client_as("supervisor", team="Alpha")
    url, page = preview_of(
        supervisor, upload(supervisor, csv_file(*nps_rows(supervisor.username, 20)))
    )
    assert page.count("<code>self_award</code>") == 20
    assert supervisor.post(url + "/apply", data={"skip_invalid": "y"}).status_code in (302, 422)
    assert counts(app) == (0, 0, 0)
    assert balance(app, supervisor.username) == 0


def test_hr_posting_outcomes_for_themselves_through_the_api_earns_nothing(app, make_employee):
    hr_name = make_employee(role="hr", team="Office")
    body = api_client(app, hr_name).post(
        "/api/v1/outcomes",
        json={"outcomes": [outcome(f"s{i}", hr_name, at=RECENT) for i in range(10)]},
    )
    assert body.status_code == 200
    answer = body.get_json()
    assert answer["points_awarded"] == 0 and answer["accepted"] == 0
    assert {row["reason"] for row in answer["rejected"]} == {"self_award"}
    assert balance(app, hr_name) == 0


def test_cli_acting_as_someone_rejects_their_own_rows(app, make_employee, runner, tmp_path):
    hr_name = make_employee(role="hr", team="Office")
    make_employee("aino", team="Alpha")
    path = tmp_path / "o.csv"
    path.write_bytes(csv_file(f"c1,{hr_name},nps,10,{RECENT}", f"c2,aino,nps,10,{RECENT}"))
    result = runner.invoke(
        args=["outcomes", "import", "--as", hr_name, "--skip-invalid", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "line 2: self_award:" in result.output
    assert "awarded 50 points to 1 employees" in result.output
    assert balance(app, hr_name) == 0


# Age -----------------------------------------------------------------------------


def test_outcomes_too_old_or_in_the_future_are_rejected_by_reason(app, make_employee):
    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    batch = [
        outcome("old", at="2001-03-01T10:00:00Z"),
        outcome("just-too-old", at=days_ago(91)),
        outcome("future", at=days_ago(-1)),
        outcome("skewed", at=days_ago(-2 / 24 / 60)),  # two minutes ahead: clock skew
        outcome("fresh", at=days_ago(89)),
    ]
    answer = hr.post("/api/v1/outcomes", json={"outcomes": batch}).get_json()
    assert [(row["index"], row["reason"]) for row in answer["rejected"]] == [
        (0, "too_old"),
        (1, "too_old"),
        (2, "in_future"),
    ]
    assert answer["accepted"] == 2


def test_the_age_limit_is_a_setting(make_app, databases, backend, make_employee):
    app = make_app(OUTCOME_MAX_AGE_DAYS=7)
    with app.app_context():
        databases[backend].reset()
    make_employee("aino", team="Alpha")
    hr = api_client(app, make_employee(role="hr", team="Office"))
    answer = hr.post(
        "/api/v1/outcomes",
        json={"outcomes": [outcome("a", at=days_ago(8)), outcome("b", at=days_ago(6))]},
    ).get_json()
    assert [row["reason"] for row in answer["rejected"]] == ["too_old"] and answer["accepted"] == 1


# Four eyes -------------------------------------------------------------------------


def test_supervisor_import_waits_for_hr_then_applies_and_everyone_is_told(
    app, client_as, make_employee, login
):
    make_employee("aino", team="Alpha")
    make_employee("bertta", team="Beta")
    supervisor = client_as("supervisor", team="Alpha", display_name="Sami Supervisor")
    rows = [
        *nps_rows("aino", 4),
        *nps_rows("bertta", 1, "b"),
        *nps_rows(supervisor.username, 1, "s"),
    ]
    url, page = preview_of(supervisor, upload(supervisor, csv_file(*rows), name="week.csv"))
    assert "<code>not_in_team</code>" in page and "<code>self_award</code>" in page
    submitted = supervisor.post(url + "/apply", data={"skip_invalid": "y"})
    assert submitted.status_code == 302
    assert counts(app) == (0, 0, 0)  # waits for HR
    assert "Waiting for approval" in supervisor.get(url).get_data(as_text=True)

    hr = client_as("hr", team="Office")
    listing = hr.get("/outcomes").get_data(as_text=True)
    assert "week.csv" in listing and "Sami Supervisor" in listing
    preview = hr.get(url).get_data(as_text=True)
    assert "200" in preview and "<code>not_in_team</code>" in preview
    assert hr.post(url + "/apply", data={"skip_invalid": "y"}).status_code == 302
    assert counts(app) == (4, 4, 4)
    assert balance(app, "aino") == 200 and balance(app, supervisor.username) == 0

    agent = login(app.test_client(), "aino")
    assert notices(agent) == ["You earned 200 points from 4 outcomes."]
    assert any("week.csv" in notice and "applied" in notice for notice in notices(supervisor))
    outcomes_page = hr.get("/outcomes").get_data(as_text=True)
    assert "Sami Supervisor" in outcomes_page  # who recorded it


def test_approving_twice_applies_once(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    supervisor = client_as("supervisor", team="Alpha")
    url, _page = preview_of(supervisor, upload(supervisor, csv_file(*nps_rows("aino", 2))))
    supervisor.post(url + "/apply", data={})
    hr = client_as("hr", team="Office")
    assert hr.post(url + "/apply", data={}).status_code == 302
    assert hr.post(url + "/apply", data={}).status_code == 422
    assert client_as("admin", team="Office").post(url + "/apply", data={}).status_code == 422
    assert counts(app) == (2, 2, 2)
    with app.app_context():
        kinds = db.session.scalars(select(Notification.kind)).all()
    assert kinds.count("outcome_import_decided") == 1 and kinds.count("outcome_points") == 1


def test_concurrent_approvals_apply_once(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    supervisor = client_as("supervisor", team="Alpha")
    url, _page = preview_of(supervisor, upload(supervisor, csv_file(*nps_rows("aino", 30))))
    supervisor.post(url + "/apply", data={})
    approvers = [client_as("hr", team="Office") for _ in range(4)]
    with ThreadPoolExecutor(len(approvers)) as pool:
        statuses = list(
            pool.map(lambda hr: hr.post(url + "/apply", data={}).status_code, approvers)
        )
    assert sorted(statuses) == [302, 422, 422, 422], statuses
    assert counts(app) == (30, 30, 30)
    with app.app_context():
        kinds = db.session.scalars(select(Notification.kind)).all()
    assert kinds.count("outcome_points") == 1 and kinds.count("outcome_import_decided") == 1


def test_hr_cannot_approve_an_import_of_their_own(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    hr = client_as("hr", team="Office")
    url, _page = preview_of(hr, upload(hr, csv_file(*nps_rows("aino", 1))))
    with app.app_context(), unit_of_work():
        # Submitted while they were a supervisor, then promoted.
        found = db.session.get(OutcomeImport, int(url.rsplit("/", 1)[1]))
        found.submitted_at = datetime.now(UTC)
    assert hr.post(url + "/apply", data={}).status_code == 422
    assert counts(app) == (0, 0, 0)


def test_approval_revalidates_rows_against_todays_teams(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    supervisor = client_as("supervisor", team="Alpha")
    url, _page = preview_of(supervisor, upload(supervisor, csv_file(*nps_rows("aino", 1))))
    supervisor.post(url + "/apply", data={})
    with app.app_context(), unit_of_work():
        beta = db.session.scalar(select(Team).where(Team.name == "Beta")) or Team(name="Beta")
        db.session.add(beta)
        db.session.scalar(select(Employee).where(Employee.username == "aino")).team = beta
    hr = client_as("hr", team="Office")
    assert "<code>not_in_team</code>" in hr.get(url).get_data(as_text=True)
    hr.post(url + "/apply", data={"skip_invalid": "y"})
    assert counts(app) == (0, 0, 0)


def test_hr_rejects_an_import_with_a_reason_the_supervisor_reads(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    supervisor = client_as("supervisor", team="Alpha")
    url, _page = preview_of(
        supervisor, upload(supervisor, csv_file(*nps_rows("aino", 3)), name="w.csv")
    )
    supervisor.post(url + "/apply", data={})
    hr = client_as("hr", team="Office")
    assert hr.post(url + "/reject", data={"reason": "These are last year's"}).status_code == 302
    assert counts(app) == (0, 0, 0)
    assert hr.post(url + "/apply", data={}).status_code == 422
    told = notices(supervisor)
    assert any("w.csv" in n and "These are last year's" in n for n in told), told
    assert counts(app) == (0, 0, 0)


def test_supervisor_cannot_approve_or_reject(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    first = client_as("supervisor", team="Alpha")
    url, _page = preview_of(first, upload(first, csv_file(*nps_rows("aino", 1))))
    first.post(url + "/apply", data={})
    assert first.post(url + "/apply", data={}).status_code == 422
    assert first.post(url + "/reject", data={}).status_code in (403, 404, 422)
    assert counts(app) == (0, 0, 0)


def test_pending_imports_are_not_cleaned_away(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    supervisor = client_as("supervisor", team="Alpha")
    url, _page = preview_of(supervisor, upload(supervisor, csv_file(*nps_rows("aino", 1))))
    supervisor.post(url + "/apply", data={})
    with app.app_context(), unit_of_work():
        for found in db.session.scalars(select(OutcomeImport)):
            found.created_at = datetime.now(UTC) - timedelta(days=5)
    upload(supervisor, csv_file(*nps_rows("aino", 1, "x")))  # cleans abandoned previews
    page = client_as("hr", team="Office").get(url)
    assert page.status_code == 200 and "Check the preview, then apply it" in page.get_data(
        as_text=True
    )
    assert counts(app) == (0, 0, 0)


# Awards tell the recipient -----------------------------------------------------------


def test_an_award_tells_the_recipient_in_their_language(app, client_as, login, make_employee):
    make_employee("aino", team="Alpha", language="fi")
    make_employee("eero", team="Alpha")
    supervisor = client_as("supervisor", team="Alpha", display_name="Sami Supervisor")
    for username in ("aino", "eero"):
        response = supervisor.post(
            "/awards/new",
            data={
                "employee": username,
                "criterion": "fcr",
                "note": "Sorted the billing mess",
                "request_id": f"form-{username}",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    english = notices(login(app.test_client(), "eero"))
    assert english == [
        "Sami Supervisor awarded you 20 points for First-contact resolution: Sorted the billing mess"
    ], english
    finnish = notices(login(app.test_client(), "aino"))
    assert len(finnish) == 1 and "Sami Supervisor" in finnish[0] and "20" in finnish[0]
    assert "awarded you" not in finnish[0]
