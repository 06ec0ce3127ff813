"""Payroll: each reward's tax treatment and value, the copy kept at fulfilment, and the export
grouped by employer of record (the company for permanent staff, each agency for its temps)."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from pojo.errors import InvalidInput
from pojo.extensions import db
from pojo.insights.payroll import last_month, month_range
from pojo.market import catalogue, redemptions
from pojo.market.models import Redemption, Reward
from pojo.people.service import find_employee
from pojo.unit_of_work import unit_of_work
from tests.form_helpers import form_values
from tests.market_helpers import add_reward, give_points

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
DONE = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


def _handed_over(app, username: str, reward_id: int, at=AT, done=DONE) -> int:
    """Redeem `reward_id` for `username` at `at` and fulfil it at `done`; the redemption's id."""
    give_points(app, username, 1000, at=at)
    with app.app_context(), unit_of_work():
        employee = find_employee(username)
        made = redemptions.redeem(employee, reward_id, 10_000, at=at)
        hr = find_employee("test.giver")
        redemptions.fulfil(hr, made.id, at=done)
        return made.id


def _set_agency(app, username: str, agency: str | None) -> None:
    with app.app_context(), unit_of_work():
        find_employee(username).agency_name = agency


def _rows(text: str, delimiter: str = ",") -> list[list[str]]:
    """The CSV's rows (English: "," between fields; Finnish: ";")."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


# The reward editor's payroll fields.


def _editor(app, client_as):
    hr = client_as("hr", team="Office")
    reward_id = add_reward(app)
    url = f"/market/admin/rewards/{reward_id}/edit"
    return hr, reward_id, url, dict(form_values(hr.get(url).get_data(as_text=True)))


def test_hr_sets_a_rewards_tax_treatment_code_and_value(app, client_as):
    hr, reward_id, url, data = _editor(app, client_as)
    assert data["tax_treatment"] == "taxable" and data["value_cents"] == ""
    sent = data | {"tax_treatment": "tax_free", "income_type_code": " 5090 ", "value_cents": "12,5"}
    assert hr.post(url, data=sent).status_code == 302
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert (reward.tax_treatment, reward.income_type_code, reward.value_cents) == (
            "tax_free",
            "5090",
            1250,
        )
    page = hr.get("/market/admin/rewards").get_data(as_text=True)
    assert "Tax-free" in page and "5090" in page and "12.50" in page
    assert 'value="12.50"' in hr.get(url).get_data(as_text=True)
    hr.post(url, data=sent | {"value_cents": "1 250.00"})
    with app.app_context():
        assert db.session.get(Reward, reward_id).value_cents == 125_000


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("value_cents", str(2**31)),
        ("value_cents", str(10**20)),
        ("value_cents", "-1"),
        ("value_cents", "12,505"),
        ("value_cents", "1e3"),
        ("value_cents", "x" * 100_000),
        ("income_type_code", "x" * 100_000),
        ("income_type_code", "x" * 33),
        ("income_type_code", "a\x00b"),
        ("tax_treatment", ""),
        ("tax_treatment", "maybe"),
    ],
)
def test_bad_payroll_fields_are_form_errors_and_change_nothing(app, client_as, name, value):
    hr, reward_id, url, data = _editor(app, client_as)
    response = hr.post(url, data=data | {name: value})
    assert response.status_code in (400, 422)
    if response.status_code == 422:
        assert 'class="field-error"' in response.get_data(as_text=True)
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert (reward.tax_treatment, reward.income_type_code, reward.value_cents) == (
            "taxable",
            None,
            None,
        )


def test_an_empty_value_means_no_value_set(app, client_as):
    hr, reward_id, url, data = _editor(app, client_as)
    hr.post(url, data=data | {"value_cents": "40"})
    assert hr.post(url, data=data | {"value_cents": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Reward, reward_id).value_cents is None


def test_the_catalogue_refuses_a_value_out_of_range(app):
    with app.app_context(), pytest.raises(InvalidInput):
        catalogue.create_reward(None, name_en="A", name_fi="A", base_price=10, value_cents=-1)


# The copy at fulfilment.


def test_a_later_edit_of_the_reward_leaves_a_fulfilled_redemption_as_paid(
    app, make_employee, client_as
):
    agent = make_employee(team="Alpha")
    reward_id = add_reward(app, value_cents=6000, income_type_code="5010")
    redemption_id = _handed_over(app, agent, reward_id)
    with app.app_context(), unit_of_work():
        catalogue.update_reward(None, reward_id, value_cents=9900, tax_treatment="tax_free")
    with app.app_context():
        paid = db.session.get(Redemption, redemption_id)
        assert (paid.value_cents, paid.tax_treatment, paid.income_type_code) == (
            6000,
            "taxable",
            "5010",
        )
    csv_text = client_as("hr", team="Office").get("/insights/payroll.csv?from=2026-11&to=2026-11")
    assert "60.00" in csv_text.get_data(as_text=True)


def test_a_pending_redemption_has_no_payroll_copy(app, make_employee):
    agent = make_employee(team="Alpha")
    reward_id = add_reward(app, value_cents=6000)
    give_points(app, agent, 1000)
    with app.app_context(), unit_of_work():
        made = redemptions.redeem(find_employee(agent), reward_id, 10_000)
        assert made.value_cents is None and made.tax_treatment is None


# The export.


def test_the_export_has_a_block_per_employer_of_record(app, make_employee, client_as):
    hr = client_as("hr", team="Office")
    hr.post("/insights/payroll/company", data={"company_name": "Pojo Oy"})
    reward_id = add_reward(app, value_cents=4500, income_type_code="5010")
    free_id = add_reward(app, name_en="Day off", name_fi="Vapaapäivä", tax_treatment="tax_free")
    permanent = make_employee("päivi.permanent", team="Alpha", display_name="Päivi Pysyvä")
    staffpoint = make_employee("sam.temp", team="Alpha", temp=True)
    barona = make_employee("bea.temp", team="Alpha", temp=True)
    _set_agency(app, barona, "Barona")
    loose = make_employee("lou.temp", team="Alpha", temp=True)
    _set_agency(app, loose, None)
    for username in (permanent, staffpoint, barona, loose):
        _handed_over(app, username, reward_id)
    _handed_over(app, permanent, free_id)

    response = hr.get("/insights/payroll.csv?from=2026-11&to=2026-11")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _rows(response.get_data(as_text=True))
    headings = [row[0] for row in rows if row and row[0].startswith(("Employer", "Temps"))]
    assert headings == [
        "Employer: Pojo Oy (permanent staff)",
        "Employer: Barona (agency, its temps)",
        "Employer: Staffpoint (agency, its temps)",
        "Temps without an agency: set their agency before paying",
    ]
    blocks = {}
    for row in rows:
        if row and row[0] in headings:
            current = blocks.setdefault(row[0], [])
        elif len(row) > 6 and row[0] == "2026-11":
            current.append(row)
    assert [row[1] for row in blocks[headings[0]]] == ["päivi.permanent", "päivi.permanent"]
    assert [row[1] for row in blocks[headings[1]]] == ["bea.temp"]
    assert [row[1] for row in blocks[headings[2]]] == ["sam.temp"]
    assert [row[1] for row in blocks[headings[3]]] == ["lou.temp"]
    day_off = [row for row in blocks[headings[0]] if row[4] == "Day off"][0]
    assert day_off[6:8] == ["", "tax-free"]
    massage = [row for row in blocks[headings[0]] if row[4] == "Massage"][0]
    assert massage[3] == "2026-11-03" and massage[6:9] == ["45.00", "taxable", "5010"]
    subtotals = [row for row in rows if row and row[0] == "Subtotal, taxable"]
    assert [row[6] for row in subtotals] == ["45.00"] * 4

    page = hr.get("/insights/payroll?from=2026-11&to=2026-11").get_data(as_text=True)
    assert "Pojo Oy" in page and "Barona" in page and "no value set" in page


def test_the_csv_follows_the_users_language(app, make_employee, client_as):
    agent = make_employee(team="Alpha")
    _handed_over(app, agent, add_reward(app, value_cents=1250))
    hr = client_as("hr", team="Office", language="fi")
    text = hr.get("/insights/payroll.csv?from=2026-11&to=2026-11").get_data(as_text=True)
    rows = _rows(text, ";")
    assert any(row[6:8] == ["12,50", "veronalainen"] for row in rows if len(row) > 7)
    english = client_as("hr", team="Office", language="en")
    text = english.get("/insights/payroll.csv?from=2026-11&to=2026-11").get_data(as_text=True)
    rows = _rows(text)
    assert any(row[6:8] == ["12.50", "taxable"] for row in rows if len(row) > 7)


def test_other_months_and_other_statuses_are_left_out(app, make_employee, client_as):
    agent = make_employee(team="Alpha")
    reward_id = add_reward(app, value_cents=100)
    _handed_over(app, agent, reward_id, done=datetime(2026, 10, 31, 21, 59, tzinfo=UTC))
    give_points(app, agent, 1000)
    with app.app_context(), unit_of_work():
        redemptions.redeem(find_employee(agent), reward_id, 10_000, at=AT)
    hr = client_as("hr", team="Office")
    nov = hr.get("/insights/payroll.csv?from=2026-11&to=2026-11").get_data(as_text=True)
    assert agent not in nov
    # 21:59 UTC on 31 October is 23:59 in Helsinki: October.
    oct_ = hr.get("/insights/payroll.csv?from=2026-10&to=2026-10").get_data(as_text=True)
    assert oct_.count(agent) == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-13", "2026-13"),
        ("2026-1", "2026-02"),
        ("2026-11", "2026-10"),
        ("2024-01", "2026-01"),
        ("1999-12", "2000-01"),
        ("9" * 100_000, ""),
        (str(2**31), str(10**20)),
        ("-1", ""),
    ],
)
def test_bad_months_get_a_clear_message(client_as, start, end):
    hr = client_as("hr", team="Office")
    for url in ("/insights/payroll", "/insights/payroll.csv"):
        response = hr.get(url, query_string={"from": start, "to": end})
        assert response.status_code == 400
        assert 'class="field-error"' in response.get_data(as_text=True)


def test_the_default_range_is_last_month(client_as):
    assert last_month(date(2026, 1, 20)).first == date(2025, 12, 1)
    assert month_range(None, None, date(2026, 3, 2)).count == 1
    assert month_range("2025-01", "2026-12", date(2026, 3, 2)).count == 24
    page = client_as("hr", team="Office").get("/insights/payroll")
    assert page.status_code == 200 and "Download CSV" in page.get_data(as_text=True)


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_hr_and_admin_export_payroll(client_as, role):
    client = client_as(role)
    assert client.get("/insights/payroll").status_code == 403
    assert client.get("/insights/payroll.csv").status_code == 403
    assert client.post("/insights/payroll/company", data={"company_name": "X"}).status_code == 403
    assert client_as("admin", team="Office").get("/insights/payroll").status_code == 200


@pytest.mark.parametrize("name", ["x" * 121, "x" * 100_000, "a\tb"])
def test_a_bad_company_name_is_refused(app, client_as, name):
    hr = client_as("hr", team="Office")
    response = hr.post("/insights/payroll/company", data={"company_name": name})
    assert response.status_code in (302, 422)
    with app.app_context():
        from pojo.insights.payroll import company_name

        assert company_name() == ""


def test_the_cli_writes_the_export(app, runner, make_employee, tmp_path):
    agent = make_employee(team="Alpha")
    _handed_over(app, agent, add_reward(app, value_cents=4500))
    target = tmp_path / "payroll.csv"
    result = runner.invoke(
        args=["payroll", "export", "--from", "2026-11", "--to", "2026-11", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert agent in target.read_text(encoding="utf-8-sig")
    bad = runner.invoke(args=["payroll", "export", "--from", "2026-13", "--to", "x", "-"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output


def test_a_formula_in_a_name_is_not_run_by_the_spreadsheet(app, make_employee, client_as):
    agent = make_employee(team="Alpha", display_name="=HYPERLINK(1)")
    _handed_over(app, agent, add_reward(app))
    text = client_as("hr", team="Office").get("/insights/payroll.csv?from=2026-11&to=2026-11")
    assert "'=HYPERLINK(1)" in text.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Redemption.value_cents)) is None


def test_imported_redemptions_were_paid_by_the_older_system(
    app, runner, make_employee, client_as, tmp_path
):
    agent = make_employee(team="Alpha")
    reward_id = add_reward(app, value_cents=100)
    _handed_over(app, agent, reward_id)
    # Last month's history from the older system, with a redemption handed over then.
    path = tmp_path / "history.csv"
    path.write_text(
        "employee,at,kind,points,reward,note\n"
        f"{agent},2026-11-02T10:00:00+00:00,award,300,,\n"
        f"{agent},2026-11-04T10:00:00+00:00,redemption,200,Old Mug,\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["history", "import", str(path)]).exit_code == 0
    text = client_as("hr", team="Office").get("/insights/payroll.csv?from=2026-11&to=2026-11")
    rows = [row for row in _rows(text.get_data(as_text=True)) if agent in row]
    assert len(rows) == 1 and "Old Mug" not in text.get_data(as_text=True)
