"""Outcome rules on the catalogue, CSV import with preview and confirmation, and the CLI."""

import io
import re
from datetime import UTC, date, datetime, timedelta

from babel.dates import format_date
from sqlalchemy import func, select

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.outcomes.models import Outcome, OutcomeRule

# A recent day: outcomes older than POJO_OUTCOME_MAX_AGE_DAYS are rejected.
DAY = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
HEADER = "external_id,employee,kind,score,occurred_at\n"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Outcome, Award, LedgerEntry)
        )


def upload(client, data: bytes, name="outcomes.csv"):
    return client.post(
        "/outcomes/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def preview_of(client, response) -> tuple[str, str]:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    url = response.headers["Location"]
    return url, client.get(url).get_data(as_text=True)


# Rules ------------------------------------------------------------------------


def test_every_employee_sees_the_outcome_rules_next_to_the_catalogue(client_as):
    page = client_as("agent", temp=True).get("/criteria").get_data(as_text=True)
    assert "Points from customer outcomes" in page
    assert "Customer survey" in page and "Customer promise" in page  # kinds in words
    assert "/outcomes/rules/" not in page  # agents cannot edit


def test_hr_adds_a_rule_that_then_awards_points(app, client_as, make_employee, runner, tmp_path):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/outcomes/rules/new",
        data={
            "kind": "quality_review",
            "min_score": "90",
            "max_score": "",
            "criterion": "quality_excellent",
            "active": "y",
        },
    )
    assert response.status_code == 302
    assert "quality_review" in hr.get("/criteria").get_data(as_text=True)
    make_employee("aino", team="Alpha")
    path = tmp_path / "q.csv"
    path.write_bytes(csv_file(f"q1,aino,quality_review,95,{DAY}T10:00:00Z"))
    result = runner.invoke(args=["outcomes", "import", str(path)])
    assert "awarded 80 points" in result.output


def test_rule_with_inverted_range_is_refused(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/outcomes/rules/new",
        data={"kind": "nps", "min_score": "9", "max_score": "3", "criterion": "nps_9"},
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutcomeRule)) == 4


def test_only_hr_and_admin_edit_rules(client_as):
    assert client_as("supervisor").get("/outcomes/rules/new").status_code == 403
    assert client_as("agent").get("/outcomes/rules/1/edit").status_code == 403
    assert client_as("admin", team="Office").get("/outcomes/rules/1/edit").status_code == 200


# CSV upload -------------------------------------------------------------------


def test_upload_previews_then_applies_only_on_confirmation(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    make_employee("bertta", team="Beta")
    hr = client_as("hr", team="Office")
    data = csv_file(
        f"c1,aino,nps,10,{DAY}T10:00:00+02:00",
        f"c2,bertta,nps,9,{DAY} 10:00",
        f"c3,aino,fcr,,{DAY}T10:05:00Z",
        f"c4,bertta,nps,4,{DAY}T10:05:00Z",
    )
    url, page = preview_of(hr, upload(hr, data))
    assert counts(app) == (0, 0, 0)  # the preview changed nothing
    assert "@aino" in page and "@bertta" in page
    assert "nps_10" in page and "fcr" in page
    assert "95" in page  # points to award
    response = hr.post(url + "/apply", data={})
    assert response.status_code == 302
    assert counts(app) == (4, 3, 3)
    # Confirming again (a double submit, or the same file uploaded again) awards nothing more.
    assert hr.post(url + "/apply", data={}).status_code == 422
    _url, again = preview_of(hr, upload(hr, data))
    assert "Nothing new to apply" in again
    assert counts(app) == (4, 3, 3)


def test_rejected_rows_show_line_and_reason_and_need_explicit_confirmation(
    app, client_as, make_employee
):
    make_employee("aino", team="Alpha")
    make_employee("gone", team="Alpha", active=False)
    hr = client_as("hr", team="Office")
    data = csv_file(
        f"c1,aino,nps,10,{DAY}T10:00:00Z",
        f"c2,ghost,nps,10,{DAY}T10:00:00Z",
        f"c3,gone,nps,10,{DAY}T10:00:00Z",
        f"c4,aino,nps,-3,{DAY}T10:00:00Z",
        "c5,aino,nps,10,next tuesday",
        "c6,aino,nps,10",
    )
    url, page = preview_of(hr, upload(hr, data))
    for line, reason in [
        (3, "ghost"),
        (4, "not active"),
        (5, "score -3"),
        (6, "next tuesday"),
        (7, "fields"),
    ]:
        assert re.search(rf"<td class=\"num\">{line}</td><td>[^<]*{reason}", page), (line, page)
    refused = hr.post(url + "/apply", data={})
    assert refused.status_code == 422
    assert "rejected" in refused.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)
    assert hr.post(url + "/apply", data={"skip_invalid": "y"}).status_code == 302
    assert counts(app) == (1, 1, 1)


def test_broken_files_are_refused_with_a_clear_message_and_nothing_applied(app, client_as):
    hr = client_as("hr", team="Office")
    cases = [
        (csv_file("1,aino,nps,10,x", header="id,who,what\n"), "Line 1 must name the columns"),
        (
            "external_id,employee,kind,score,occurred_at\nc1,äiti,nps,10,x\n".encode("latin-1"),
            "not UTF-8",
        ),
        (bytes(range(256)) * 40_000, "not UTF-8"),
        (b"x" * (10 * 1024 * 1024 + 10), "larger than 10 MB"),
        (b"", "The file is empty"),
        (HEADER.encode(), "no rows"),
        (b"external_id,employee,kind,score,occurred_at\n\x00\x00\n", "NUL"),
    ]
    for data, message in cases:
        response = upload(hr, data)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True), message
    assert counts(app) == (0, 0, 0)


def test_semicolon_separated_file_from_a_finnish_spreadsheet_is_read(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    hr = client_as("hr", team="Office")
    data = f"\ufeffexternal_id;employee;kind;score;occurred_at\nc1;aino;nps;10;{DAY} 10:00\n"
    url, _page = preview_of(hr, upload(hr, data.encode()))
    assert hr.post(url + "/apply", data={}).status_code == 302
    assert counts(app) == (1, 1, 1)


def test_supervisor_imports_only_own_teams_outcomes(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    make_employee("bertta", team="Beta")
    supervisor = client_as("supervisor", team="Alpha")
    data = csv_file(f"c1,aino,nps,10,{DAY}T10:00:00Z", f"c2,bertta,nps,10,{DAY}T10:00:00Z")
    url, page = preview_of(supervisor, upload(supervisor, data))
    assert "not in a team you supervise" in page
    assert supervisor.post(url + "/apply", data={"skip_invalid": "y"}).status_code == 302
    assert counts(app) == (0, 0, 0)  # until HR approves
    assert (
        client_as("hr", team="Office").post(url + "/apply", data={"skip_invalid": "y"}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalars(select(Outcome.external_id)).all() == ["c1"]


def test_others_cannot_see_someone_elses_upload(app, client_as, make_employee):
    make_employee("aino", team="Alpha")
    first = client_as("supervisor", team="Alpha")
    url, _page = preview_of(first, upload(first, csv_file(f"c1,aino,nps,10,{DAY}T10:00:00Z")))
    assert client_as("supervisor", team="Alpha").get(url).status_code == 404
    assert client_as("hr", team="Office").get(url).status_code == 200


def test_agents_cannot_import(client_as):
    agent = client_as("agent")
    assert agent.get("/outcomes/import").status_code == 403
    assert agent.get("/outcomes").status_code == 403


def test_outcomes_page_lists_recent_outcomes_with_what_they_earned(
    app, client_as, make_employee, runner, tmp_path
):
    make_employee("aino", team="Alpha", display_name="Aino Aalto")
    path = tmp_path / "o.csv"
    path.write_bytes(csv_file(f"c1,aino,nps,10,{DAY}T10:00:00Z"))
    runner.invoke(args=["outcomes", "import", str(path)])
    page = client_as("supervisor", team="Alpha").get("/outcomes").get_data(as_text=True)
    assert "Aino Aalto" in page and "+50" in page
    nav = client_as("hr", team="Office").get("/criteria").get_data(as_text=True)
    assert 'href="/outcomes"' in nav


# CLI ----------------------------------------------------------------------------


def test_cli_import_is_idempotent_and_prints_a_summary(app, make_employee, runner, tmp_path):
    make_employee("aino", team="Alpha")
    path = tmp_path / "o.csv"
    path.write_bytes(
        csv_file(f"c1,aino,nps,10,{DAY}T10:00:00Z", f"c2,aino,promise_kept,,{DAY}T11:00:00Z")
    )
    first = runner.invoke(args=["outcomes", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "Imported 2 outcomes; awarded 70 points to 1 employees" in first.output
    second = runner.invoke(args=["outcomes", "import", str(path)])
    assert "Imported 0 outcomes; awarded 0 points" in second.output
    assert "2 already recorded" in second.output
    assert counts(app) == (2, 2, 2)


def test_cli_refuses_file_with_rejected_rows_unless_skip_invalid(
    app, make_employee, runner, tmp_path
):
    make_employee("aino", team="Alpha")
    path = tmp_path / "o.csv"
    path.write_bytes(
        csv_file(f"c1,aino,nps,10,{DAY}T10:00:00Z", f"c2,ghost,nps,10,{DAY}T10:00:00Z")
    )
    refused = runner.invoke(args=["outcomes", "import", str(path)])
    assert refused.exit_code == 1
    assert "line 3: unknown_employee: No employee with the username ghost" in refused.output
    assert "--skip-invalid" in refused.output
    assert counts(app) == (0, 0, 0)
    dry = runner.invoke(args=["outcomes", "import", "--dry-run", str(path)])
    assert "would award 50 points" in dry.output and counts(app) == (0, 0, 0)
    applied = runner.invoke(args=["outcomes", "import", "--skip-invalid", str(path)])
    assert applied.exit_code == 0 and counts(app) == (1, 1, 1)


def test_cli_refuses_a_broken_file_naming_the_problem(app, runner, tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes(b"name,points\nx,1\n")
    result = runner.invoke(args=["outcomes", "import", str(path)])
    assert result.exit_code == 1 and "Line 1 must name the columns" in result.output


def test_outcome_entries_show_as_outcomes_in_the_wallet(
    app, make_employee, login, runner, tmp_path
):
    make_employee("aino", team="Alpha")
    path = tmp_path / "o.csv"
    path.write_bytes(csv_file(f"c1,aino,nps,10,{DAY}T10:00:00Z"))
    runner.invoke(args=["outcomes", "import", str(path)])
    wallet = login(app.test_client(), "aino").get("/wallet").get_data(as_text=True)
    shown = format_date(date.fromisoformat(DAY), "medium", locale="en_GB")  # day first
    assert "Customer outcome" in wallet and f"Customer survey, score 10, on {shown}" in wallet
    assert "nps 10 · c1" not in wallet  # codes and external ids are for HR
