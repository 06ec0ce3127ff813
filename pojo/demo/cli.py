"""`flask demo` (fill an empty database) and `flask demo logins` (who can log in)."""

import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from pojo.demo.build import Demo, build, has_employees
from pojo.demo.people import DEMO_PASSWORD
from pojo.extensions import db
from pojo.people.models import Employee
from pojo.unit_of_work import cli_unit_of_work

# Fixed, so that every fresh demo shows the same people and the same year.
DEFAULT_SEED = 2017
# What `make run` shows of the logins on a database that is already filled.
SHOWN_AGENTS = 3
LIST_COMMAND = "flask --app pojo demo logins"


@click.group("demo", invoke_without_command=True)
@click.option(
    "--if-empty",
    is_flag=True,
    help="When the database already has data, show who can log in and exit 0 instead of refusing.",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--months",
    type=click.IntRange(1, 36),
    default=12,
    show_default=True,
    help="Months of history to generate.",
)
@click.pass_context
@with_appcontext
def demo(ctx, if_empty, seed, months):
    """Fill an empty database with demo people, rewards and a year of history."""
    if ctx.invoked_subcommand is not None:
        return
    if has_employees():
        message = "The database already has employees; the demo fills only an empty database."
        if if_empty:
            click.echo(f"{message} Nothing to do.")
            _echo_logins(_login_lines(_staff_first(), agents=SHOWN_AGENTS))
            return
        click.echo(f"Error: {message}", err=True)
        sys.exit(1)
    started = time.perf_counter()
    # Made-up history e-mails nobody (its people's addresses are made up too); what is
    # done in the demo afterwards does, with MAIL_SERVER set.
    current_app.config["MAIL_SERVER"] = ""
    with cli_unit_of_work():
        made = build(seed, months)
        lines = _login_lines(_people_of(made), personas=_personas(made))
    # The dashboard's segments stored now, so its first view reads them instead of measuring.
    segments = _store_segments()
    tally = made.tally
    click.echo(
        f"Demo ready in {time.perf_counter() - started:.1f} s: {made.days} days of history, "
        f"{len(made.staff.agents)} agents, {tally.awards} awards, {tally.outcomes} outcomes, "
        f"{sum(tally.redemptions.values())} redemptions, {tally.ticks} price ticks; {segments}."
    )
    _echo_logins(lines)


def _store_segments() -> str:
    """Run the insights' `segment_features` job once, when the app has it."""
    from pojo.features import installed
    from pojo.jobs.registry import run_job

    job = "segment_features"
    return run_job(job) if job in installed().jobs else "no insights installed"


@demo.command("logins")
@with_appcontext
def logins():
    """List everyone who can log in, with their role and team (the demo's password too)."""
    _echo_logins(_login_lines(_staff_first()))


def _echo_logins(lines: list[str]) -> None:
    click.echo(f"\nLog in at /login with any of these; the demo's password is {DEMO_PASSWORD!r}:")
    for line in lines:
        click.echo(line)


def _staff_first() -> list[Employee]:
    """Active people as the list shows them: admin, HR, supervisors, then agents."""
    rank = case({"admin": 0, "hr": 1, "supervisor": 2}, value=Employee.role, else_=3)
    query = (
        select(Employee)
        .options(joinedload(Employee.team))
        .where(Employee.active.is_(True), Employee.password_hash.is_not(None))
        .order_by(rank, Employee.username)
    )
    return list(db.session.scalars(query))


def _people_of(made: Demo) -> list[Employee]:
    staff = made.staff
    supervisors = [staff.supervisors[team.id] for team in staff.teams]
    agents = sorted(staff.agents, key=lambda a: (a.persona, a.username))
    return [staff.admin, staff.hr, *supervisors, *(agent.employee for agent in agents)]


def _personas(made: Demo) -> dict[str, str]:
    return {agent.employee.username: agent.persona for agent in made.staff.agents}


def _login_lines(
    people: list[Employee], *, personas: dict[str, str] | None = None, agents: int | None = None
) -> list[str]:
    """One line per person: username, name, role, team, and for agents persona and contract.

    With `agents`, only that many agents are listed, then how to list everyone.
    """
    lines: list[str] = []
    shown = hidden = 0
    for person in people:
        if person.role == "agent":
            if agents is not None and shown >= agents:
                hidden += 1
                continue
            shown += 1
        lines.append(
            f"  {person.username:<24} {person.display_name} ({_describe(person, personas)})"
        )
    if hidden:
        lines.append(f"  … and {hidden} more agents: {LIST_COMMAND}")
    return lines


def _describe(person: Employee, personas: dict[str, str] | None) -> str:
    if person.role == "admin":
        return "admin"
    if person.role == "hr":
        return "HR"
    parts = [person.role, person.team.name if person.team else "no team"]
    if personas and person.username in personas:
        parts.append(personas[person.username])
    if person.is_temp:
        until = f" until {person.contract_end:%Y-%m-%d}" if person.contract_end else ""
        parts.append(f"temp from {person.agency_name}{until}")
    return ", ".join(parts)
