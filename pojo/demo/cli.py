"""`flask demo`."""

import sys
import time

import click
from flask.cli import with_appcontext

from pojo.demo.build import Demo, build, has_employees
from pojo.demo.people import DEMO_PASSWORD
from pojo.unit_of_work import cli_unit_of_work

# Fixed, so that every fresh demo shows the same people and the same year.
DEFAULT_SEED = 2017


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="When the database already has data, say so and exit 0 instead of refusing.",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--months",
    type=click.IntRange(1, 36),
    default=12,
    show_default=True,
    help="Months of history to generate.",
)
@with_appcontext
def demo(if_empty, seed, months):
    """Fill an empty database with demo people, rewards and a year of history."""
    if has_employees():
        message = "The database already has employees; the demo fills only an empty database."
        if if_empty:
            click.echo(f"{message} Nothing to do.")
            return
        click.echo(f"Error: {message}", err=True)
        sys.exit(1)
    started = time.perf_counter()
    with cli_unit_of_work():
        made = build(seed, months)
        logins = _logins(made)
    tally = made.tally
    click.echo(
        f"Demo ready in {time.perf_counter() - started:.1f} s: {made.days} days of history, "
        f"{len(made.staff.agents)} agents, {tally.awards} awards, {tally.outcomes} outcomes, "
        f"{sum(tally.redemptions.values())} redemptions, {tally.ticks} price ticks."
    )
    click.echo(f"\nLog in at /login with any of these; the password is {DEMO_PASSWORD!r}:")
    for line in logins:
        click.echo(line)


def _logins(made: Demo) -> list[str]:
    """One line per person: username, name, and for agents their team, persona and contract."""
    staff = made.staff
    lines = [f"  {'admin':<24} {staff.admin.display_name} (admin)"]
    lines.append(f"  {'hr':<24} {staff.hr.display_name} (HR)")
    for team in staff.teams:
        supervisor = staff.supervisors[team.id]
        lines.append(
            f"  {supervisor.username:<24} {supervisor.display_name} (supervisor, {team.name})"
        )
    for agent in sorted(staff.agents, key=lambda a: (a.persona, a.username)):
        employee = agent.employee
        temp = ""
        if employee.is_temp:
            temp = f", temp from {employee.agency_name} until {employee.contract_end:%Y-%m-%d}"
        lines.append(
            f"  {employee.username:<24} {employee.display_name} "
            f"(agent, {employee.team.name}, {agent.persona}{temp})"
        )
    return lines
