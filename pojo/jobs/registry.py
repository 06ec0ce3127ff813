"""Scheduled jobs: each feature lists its own (`Feature.jobs`); one place runs them.

A job's body is idempotent and runs inside a unit of work; each run is
recorded in `job_runs`, one row per job and period (a repeat updates it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.triggers.base import BaseTrigger

from pojo.database import upsert, utcnow
from pojo.extensions import db
from pojo.features import installed
from pojo.jobs.models import JobRun
from pojo.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    # The body: does the work for `now` and returns a one-line summary.
    run: Callable[[datetime], str]
    # The period a run at `now` belongs to, e.g. the start of the tick interval.
    period: Callable[[datetime], str]
    # When the scheduler runs it, from the app's config.
    trigger: Callable[[dict], BaseTrigger]


def _record_run(name: str, period: str, summary: str, now: datetime) -> None:
    statement = upsert(db.session.get_bind(), JobRun).values(
        job=name, period=period, started_at=now, summary=summary[:500]
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["job", "period"],
            set_={
                "summary": statement.excluded.summary,
                "started_at": statement.excluded.started_at,
            },
        )
    )


def run_job(name: str, now: datetime | None = None) -> str:
    """Run one job now, in its own unit of work; returns its summary. KeyError when unknown."""
    job = installed().jobs[name]
    now = now or utcnow()
    with unit_of_work():
        summary = job.run(now)
        _record_run(name, job.period(now), summary, now)
    return summary


def last_runs() -> dict[str, JobRun]:
    """The latest recorded run of each job."""
    runs = db.session.scalars(db.select(JobRun).order_by(JobRun.started_at))
    return {run.job: run for run in runs}
