"""The one process that runs scheduled jobs.

Production runs ``flask --app pojo scheduler`` as its own process, so
gunicorn workers never run jobs. The development server (``flask run``)
runs them in-process when in debug mode or with POJO_SCHEDULER=1, only in
the reloader's serving child, so never twice. Every job is idempotent
anyway, so a stray second scheduler records nothing twice.
"""

import logging
import os
from datetime import UTC

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from pojo.features import installed
from pojo.jobs.registry import run_job

# A run missed by up to this many seconds (a busy or restarted scheduler) still happens, once.
MISFIRE_GRACE_SECONDS = 15 * 60

log = logging.getLogger(__name__)


def _run_in_app(app: Flask, name: str) -> None:
    with app.app_context():
        summary = run_job(name)
    log.info("job %s: %s", name, summary)


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler]) -> BaseScheduler:
    """A scheduler with every registered job, by explicit id, coalescing missed runs."""
    scheduler = scheduler_class(timezone=UTC)
    for job in installed(app).jobs.values():
        scheduler.add_job(
            _run_in_app,
            trigger=job.trigger(app.config),
            args=[app, job.name],
            id=job.name,
            name=job.description,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the scheduler in this process until interrupted (`flask scheduler`)."""
    build_scheduler(app, BlockingScheduler).start()


def _serving_under_flask_run(app: Flask) -> bool:
    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run":
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = app.debug
    # With the reloader, only the child that serves requests runs jobs, not its watcher.
    return not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def start_in_process(app: Flask) -> BackgroundScheduler | None:
    """Start a background scheduler under `flask run` in debug or with POJO_SCHEDULER=1."""
    if app.testing or not (app.debug or app.config["SCHEDULER_IN_PROCESS"]):
        return None
    if not _serving_under_flask_run(app):
        return None
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    app.logger.info(
        "Scheduler running in this process (pid %s): %s", os.getpid(), sorted(installed(app).jobs)
    )
    return scheduler
