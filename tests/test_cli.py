"""The command-line contract: user create and ledger verify."""

from sqlalchemy import text

from pojo.extensions import db
from pojo.people.service import find_employee


def test_user_create_reads_password_from_stdin_and_creates_team(app, runner):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "aino.agent",
            "--role",
            "agent",
            "--team",
            "Helsinki",
            "--name",
            "Aino Agent",
            "--email",
            "aino@example.com",
        ],
        input="a good password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        employee = find_employee("aino.agent")
        assert employee.team.name == "Helsinki"
        assert employee.display_name == "Aino Agent"
        assert employee.password_hash.startswith("scrypt:")
        # In the audit log, made by no employee (whoever runs the server), with no password.
        from pojo.audit.models import AuditEntry

        (entry,) = db.session.scalars(db.select(AuditEntry)).all()
        assert (entry.action, entry.actor_id) == ("employee.created", None)
        assert entry.after["username"] == "aino.agent" and "password" not in str(entry.after)


def test_user_create_temp_with_agency_and_contract_end(app, runner):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "tero.temp",
            "--role",
            "agent",
            "--team",
            "Helsinki",
            "--temp",
            "--agency",
            "Staffpoint",
            "--contract-end",
            "2027-01-31",
        ],
        input="a good password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        employee = find_employee("tero.temp")
        assert employee.employment_type == "temp"
        assert employee.agency_name == "Staffpoint"
        assert str(employee.contract_end) == "2027-01-31"


def test_supervisor_created_by_cli_supervises_the_team(app, runner):
    runner.invoke(
        args=["user", "create", "sanna", "--role", "supervisor", "--team", "Helsinki"],
        input="a good password\n",
    )
    with app.app_context():
        assert [t.name for t in find_employee("sanna").supervised_teams] == ["Helsinki"]


def test_user_create_refuses_duplicates_and_bad_input(app, runner):
    runner.invoke(
        args=["user", "create", "aino", "--role", "agent", "--team", "A"], input="a good password\n"
    )
    duplicate = runner.invoke(
        args=["user", "create", "aino", "--role", "agent", "--team", "A"], input="a good password\n"
    )
    assert duplicate.exit_code != 0 and "taken" in duplicate.output
    short = runner.invoke(
        args=["user", "create", "bert", "--role", "agent", "--team", "A"], input="short\n"
    )
    assert short.exit_code != 0 and "at least 8" in short.output
    bad_role = runner.invoke(
        args=["user", "create", "cecil", "--role", "king", "--team", "A"], input="a good password\n"
    )
    assert bad_role.exit_code != 0
    temp_without_agency = runner.invoke(
        args=["user", "create", "dora", "--role", "agent", "--team", "A", "--temp"],
        input="a good password\n",
    )
    assert temp_without_agency.exit_code != 0
    with app.app_context():
        assert find_employee("bert") is None and find_employee("dora") is None


def test_ledger_verify_passes_on_a_sound_ledger(app, runner):
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert "All" in result.output and "invariants hold" in result.output


def test_ledger_verify_fails_when_a_balance_is_tampered_with(app, runner, make_employee):
    username = make_employee()
    with app.app_context():
        db.session.execute(
            text("UPDATE balances SET points = 500 WHERE employee_id = :id"),
            {"id": find_employee(username).id},
        )
        db.session.commit()
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert "FAIL" in result.output
    with app.app_context():  # put it right, so the suite's own after-test check passes
        db.session.execute(text("UPDATE balances SET points = 0"))
        db.session.commit()
