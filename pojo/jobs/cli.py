"""`flask scheduler`, `flask jobs list` and `flask jobs run NAME`."""

import signal

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from pojo.features import installed
from pojo.jobs.registry import last_runs, run_job
from pojo.jobs.scheduler import run_blocking

jobs_cli = AppGroup("jobs", help="Scheduled jobs.")


@jobs_cli.command("list")
def list_jobs():
    """Name every job, when it runs and when it last ran."""
    runs = last_runs()
    for job in installed().jobs.values():
        run = runs.get(job.name)
        last = f"last {run.started_at:%Y-%m-%d %H:%M} UTC: {run.summary}" if run else "never run"
        click.echo(f"{job.name}\t{job.trigger(current_app.config)}\t{job.description}\t{last}")


@jobs_cli.command("run")
@click.argument("name")
def run(name):
    """Run one job now."""
    known = installed().jobs
    if name not in known:
        raise click.BadParameter(f"no job {name!r}; known: {', '.join(sorted(known))}")
    click.echo(run_job(name))


@click.command("scheduler")
@with_appcontext
def scheduler():
    """Run the job scheduler: the one holding the leader lock runs the jobs, others wait."""
    names = ", ".join(sorted(installed().jobs)) or "none"
    click.echo(f"Scheduler for jobs: {names}. Stop with Ctrl+C.")
    # systemd stops with SIGTERM: leave through the same door as Ctrl+C, letting go of the lock.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        run_blocking(current_app._get_current_object(), say=lambda line: click.echo(line))
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")
