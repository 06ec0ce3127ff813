"""The audit log as HR reads it: the page, its filters, and a log nobody can change."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from pojo.audit import service as audit
from pojo.audit.models import AuditEntry
from pojo.awards.service import award
from pojo.database import utcnow
from pojo.errors import Conflict
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.ledger.service import reverse_entry
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work


def _entries(app) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _reversal(app, hr: str, agent: str, reason: str = "mistake") -> None:
    with app.app_context(), unit_of_work():
        made = award(get_employee(hr), agent, "fcr", "good call")
        reverse_entry(made.entry_id, actor=get_employee(hr), reason=reason)


def test_a_reversal_is_in_the_log_with_its_before_and_after(app, make_employee):
    hr = make_employee(role="hr")
    agent = make_employee()
    _reversal(app, hr, agent, "wrong person")
    (entry,) = _entries(app)
    assert entry.action == "entry.reversed"
    assert entry.subject_kind == "entry"
    assert entry.before["reversed_by"] is None
    assert entry.after["reversed_by"] is not None
    assert entry.after["reason"] == "wrong person"


def test_a_refused_action_leaves_no_entry(app, make_employee):
    hr = make_employee(role="hr")
    agent = make_employee()
    _reversal(app, hr, agent)
    with app.app_context():
        entry_id = db.session.scalar(text("SELECT MIN(id) FROM ledger_entries WHERE kind='award'"))
    with pytest.raises(Conflict), app.app_context(), unit_of_work():
        reverse_entry(entry_id, actor=get_employee(hr), reason="again")
    assert len(_entries(app)) == 1


def test_the_database_refuses_to_change_or_delete_an_entry(app, make_employee):
    hr = make_employee(role="hr")
    _reversal(app, hr, make_employee())
    for statement in (
        "UPDATE audit_entries SET subject_label = 'forged'",
        "DELETE FROM audit_entries",
    ):
        with app.app_context():
            with pytest.raises(DatabaseError, match="append-only"), unit_of_work():
                db.session.execute(text(statement))
            db.session.rollback()
    (entry,) = _entries(app)
    assert entry.subject_label != "forged"


def test_agents_and_supervisors_may_not_read_the_log(client_as):
    for role in ("agent", "supervisor"):
        client = client_as(role)
        assert client.get("/audit").status_code == 403
        assert client.get("/audit.csv").status_code == 403


def test_hr_reads_the_log_newest_first_with_the_change_shown(app, make_employee, login):
    hr = make_employee(role="hr", display_name="Hanna HR")
    agent = make_employee()
    _reversal(app, hr, agent, "oldest-reason")
    _reversal(app, hr, agent, "newest-reason")
    page = login(app.test_client(), hr).get("/audit").get_data(as_text=True)
    assert "Ledger entry reversed" in page and "Hanna HR" in page
    assert page.index("newest-reason") < page.index("oldest-reason")


def test_the_log_is_filtered_by_action_actor_kind_and_date(app, make_employee, login):
    hr = make_employee(role="hr", display_name="Hanna HR")
    other = make_employee(role="admin", display_name="Aino Admin")
    agent = make_employee()
    _reversal(app, hr, agent, "by hanna")
    _reversal(app, other, agent, "by aino")
    with app.app_context():
        hr_id = get_employee(hr).id
    client = login(app.test_client(), hr)

    def shown(**args) -> str:
        response = client.get("/audit", query_string=args)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    by_hanna = shown(actor=str(hr_id))
    assert "by hanna" in by_hanna and "by aino" not in by_hanna
    assert "by aino" in shown(action="entry.reversed")
    assert "No entries match." in shown(action="reward.created")
    assert "No entries match." in shown(subject_kind="reward")
    today = utcnow().date()
    assert "by aino" in shown(since=str(today - timedelta(days=1)))
    assert "No entries match." in shown(until=str(today - timedelta(days=2)))


BAD_FILTERS = [
    {"since": "yesterday"},
    {"until": "2026-02-30"},
    {"since": "0001-01-01"},
    {"since": "2026-12-24", "until": "2026-12-01"},
    {"action": "entry.forged"},
    {"actor": "99999999999999999999"},
    {"subject_kind": "x" * 5000},
]


def test_a_bad_filter_value_is_a_message_not_a_crash(client_as):
    client = client_as("hr")
    for args in BAD_FILTERS:
        response = client.get("/audit", query_string=args)
        assert response.status_code == 400, args
        page = response.get_data(as_text=True)
        assert "Correct the filters above" in page
        assert 'class="field-error"' in page
        assert client.get("/audit.csv", query_string=args).status_code == 400


def test_the_log_downloads_as_csv_with_one_row_per_change(app, make_employee, login):
    hr = make_employee(role="hr")
    _reversal(app, hr, make_employee(), "csv reason")
    response = login(app.test_client(), hr).get("/audit.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "entry.reversed" in body and "csv reason" in body and "reversed_by" in body


def test_an_unknown_action_code_is_a_programming_error(app_ctx):
    with pytest.raises(ValueError):
        audit.record(None, "entry.forged", audit.Subject("entry", 1, "x"))


def test_finnish_hr_reads_the_log_in_finnish(app, make_employee, login):
    hr = make_employee(role="hr", language="fi")
    _reversal(app, hr, make_employee(), "väärä henkilö")
    page = login(app.test_client(), hr).get("/audit").get_data(as_text=True)
    assert "Tapahtumaloki" in page and "Kirjaus peruttu" in page
    assert "Perunut kirjaus" in page  # the changed field, in words


def test_a_changed_role_reads_in_words(app, make_employee, login):
    from pojo.people.service import update_employee

    hr = make_employee(role="hr", language="fi")
    agent = make_employee()
    with app.app_context(), unit_of_work():
        me = get_employee(agent)
        update_employee(
            get_employee(hr),
            agent,
            display_name=me.display_name,
            email=None,
            team_id=me.team_id,
            employment_type="permanent",
            agency_name=None,
            contract_end=None,
            language="en",
            role="supervisor",
        )
    page = login(app.test_client(), hr).get("/audit").get_data(as_text=True)
    assert "Rooli vaihdettu" in page
    assert '<td class="audit-before">Asiakaspalvelija</td>' in page
    assert '<td class="audit-after">Esihenkilö</td>' in page


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_quoted_in_the_csv(
    app, make_employee, login
):
    from pojo.people.service import create_team

    hr = make_employee(role="hr")
    with app.app_context(), unit_of_work():
        create_team(get_employee(hr), "=HYPERLINK(1)")
    body = login(app.test_client(), hr).get("/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in body
    assert ",=HYPERLINK" not in body


def test_my_data_download_holds_what_hr_changed_on_my_account(app, make_employee, login):
    from pojo.people.service import update_employee

    hr = make_employee(role="hr")
    agent = make_employee(display_name="Old Name")
    with app.app_context(), unit_of_work():
        me = get_employee(agent)
        update_employee(
            get_employee(hr),
            agent,
            display_name="New Name",
            email=None,
            team_id=me.team_id,
            employment_type="permanent",
            agency_name=None,
            contract_end=None,
            language="en",
        )
    data = login(app.test_client(), agent).get("/settings/my-data.json").get_json()
    (entry,) = data["audit_log"]
    assert entry["action"] == "employee.edited" and entry["by_me"] is False
    assert entry["before"]["display_name"] == "Old Name"
    assert entry["after"]["display_name"] == "New Name"


def test_ledger_verify_finds_a_reversal_without_its_audit_entry(app, make_employee):
    from pojo.ledger.service import post_entry
    from pojo.ledger.verify import run_checks

    hr = make_employee(role="hr")
    agent = make_employee()
    _reversal(app, hr, agent)
    with app.app_context(), unit_of_work():
        made = award(get_employee(hr), agent, "fcr", "second")
        entry = db.session.get(LedgerEntry, made.entry_id)
        # Round the service: points moved back with no trail.
        post_entry(
            entry.employee_id,
            -entry.points,
            "reversal",
            actor=get_employee(hr),
            note="quiet",
            reference=f"entry:{entry.id}",
            reverses=entry,
        )
        broken = [r.name for r in run_checks() if r.violations]
        assert broken == ["every reversal since the audit log began has its audit entry"]
        db.session.rollback()


def test_a_budget_set_on_the_teams_page_is_logged_and_a_refused_one_is_not(app, client_as):
    hr = client_as("hr", team="Alpha")
    with app.app_context():
        team_id = get_employee(hr.username).team_id
    field = f"t{team_id}-budget"
    assert hr.post(f"/teams/{team_id}/budget", data={field: "700"}).status_code == 302
    assert hr.post(f"/teams/{team_id}/budget", data={field: "-5"}).status_code == 302
    assert hr.post("/teams/424242/budget", data={"t424242-budget": "9"}).status_code == 302
    (entry,) = _entries(app)
    assert (entry.action, entry.before, entry.after) == (
        "budget.set",
        {"monthly_award_budget": None},
        {"monthly_award_budget": 700},
    )
