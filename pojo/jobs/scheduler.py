"""The one process that runs scheduled jobs.

Production runs ``flask --app pojo scheduler`` as its own process, so
gunicorn workers never run jobs; it may run on every machine, since only
the one holding the leader lock (`pojo.jobs.leader`) triggers jobs, and a
follower takes over within SCHEDULER_RETRY_SECONDS of the leader's end.
A new leader runs every job once at once (a period already claimed is
skipped), so a period missed while nobody led is not lost. The development
server (``flask run``) runs them in-process when in debug mode or with
POJO_SCHEDULER=1, only in the reloader's serving child, so never twice.
Each scheduled run claims its (job, period) row before its body
(`registry.run_scheduled`), so a stray second scheduler runs nothing twice.
"""

import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from pojo.features import installed
from pojo.jobs.leader import leader_lock
from pojo.jobs.registry import run_scheduled

# A run missed by up to this many seconds (a busy or restarted scheduler) still happens, once.
MISFIRE_GRACE_SECONDS = 15 * 60

log = logging.getLogger(__name__)


def _run_in_app(app: Flask, name: str, say: Callable[[str], None]) -> None:
    with app.app_context():
        summary = run_scheduled(name)
    say(f"job {name}: {summary}" if summary is not None else f"job {name}: period already ran")


def build_scheduler(
    app: Flask,
    scheduler_class: type[BaseScheduler],
    say: Callable[[str], None] = log.info,
    run_now: bool = False,
) -> BaseScheduler:
    """A scheduler with every registered job, by explicit id, coalescing missed runs.

    With `run_now` every job also runs once at start, then on its trigger.
    """
    scheduler = scheduler_class(timezone=UTC)
    first = {"next_run_time": datetime.now(UTC)} if run_now else {}
    for job in installed(app).jobs.values():
        scheduler.add_job(
            _run_in_app,
            trigger=job.trigger(app.config),
            args=[app, job.name, say],
            id=job.name,
            name=job.description,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            **first,
        )
    return scheduler


def run_blocking(app: Flask, say: Callable[[str], None] = log.info) -> None:
    """Lead or wait, until interrupted (`flask scheduler`): jobs run only while leading.

    Every SCHEDULER_RETRY_SECONDS a follower tries the leader lock and the
    leader checks it still holds it; one that lost it stops triggering jobs.
    """
    retry = app.config["SCHEDULER_RETRY_SECONDS"]
    lock = leader_lock(db_url(app), app.instance_path, retry)
    scheduler: BackgroundScheduler | None = None
    waiting = False
    try:
        while True:
            leads = lock.hold()
            if leads and scheduler is None:
                say(f"Leading (pid {os.getpid()}): running the jobs.")
                scheduler = build_scheduler(app, BackgroundScheduler, say, run_now=True)
                scheduler.start()
            elif not leads and scheduler is not None:
                say(f"Lost the leader lock (pid {os.getpid()}): no longer running jobs.")
                scheduler.shutdown(wait=False)
                scheduler = None
            elif not leads and not waiting:
                say(
                    f"Waiting (pid {os.getpid()}): another scheduler leads; retrying every {retry} s."
                )
            waiting = not leads
            time.sleep(retry)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        lock.close()


def db_url(app: Flask):
    from pojo.extensions import db

    with app.app_context():
        return db.engine.url


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
