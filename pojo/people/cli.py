"""`flask user create`."""

import sys
from datetime import date

import click
from flask.cli import AppGroup

from pojo.people import service
from pojo.policy import ROLES
from pojo.unit_of_work import cli_unit_of_work

user_cli = AppGroup("user", help="Manage employees.")


def _read_password() -> str:
    """From stdin when piped (scripts), else prompted twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", "team_name", required=True, help="Team name; created if missing.")
@click.option("--name", "display_name", help="Display name (default: the username).")
@click.option("--email")
@click.option("--temp", is_flag=True, help="An agency temp rather than permanent staff.")
@click.option("--agency", help="The temp's staffing agency.")
@click.option("--contract-end", type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--language", type=click.Choice(["fi", "en"]), default="fi", show_default=True)
def create_user(
    username, role, team_name, display_name, email, temp, agency, contract_end, language
):
    """Create an employee; the password is read from stdin or prompted."""
    if (agency or contract_end) and not temp:
        raise click.UsageError("--agency and --contract-end go with --temp.")
    if temp and not agency:
        raise click.UsageError("--temp needs --agency NAME.")
    password = _read_password()
    end: date | None = contract_end.date() if contract_end else None
    with cli_unit_of_work():
        employee = service.create_employee_from_command_line(
            username,
            role=role,
            team_name=team_name,
            password=password,
            display_name=display_name,
            email=email,
            employment_type="temp" if temp else "permanent",
            agency_name=agency,
            contract_end=end,
            language=language,
        )
        click.echo(f"Created {employee.username} ({employee.role}, team {team_name}).")
