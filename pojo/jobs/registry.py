"""Scheduled jobs: each feature lists its own (`Feature.jobs`); one place runs them.

A job's body is idempotent and runs inside a unit of work; each run is
recorded in `job_runs`, one row per job and period. The row is claimed
first, in the same transaction as the body: a scheduled run whose period's
row is already there runs nothing (`run_scheduled`), so even two schedulers
that both believe they lead never run a job twice for one period. The
claim and the body commit or roll back together, so a failed run leaves no
claim and the next trigger tries the period again. An operator's
`flask jobs run` (`run_job`) runs the body again on purpose, after locking
the period's row, so it never overlaps a scheduled run of the same period.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import func, select, update

from pojo.database import upsert, utcnow
from pojo.extensions import db
from pojo.features import installed
from pojo.jobs.models import JobRun
from pojo.unit_of_work import delete_in_batches, unit_of_work

# Job runs are kept this long (each job's latest run always): a job every minute (send_mail)
# would otherwise leave half a million rows a year.
RUN_RETENTION_DAYS = 30


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


def _claim(name: str, period: str, now: datetime) -> bool:
    """Insert the period's row; False when it was there already (another run claimed it).

    On PostgreSQL an insert racing another transaction's uncommitted claim waits for
    it to end, then claims nothing if it committed; SQLite's writers queue on its lock.
    """
    statement = upsert(db.session.get_bind(), JobRun).values(
        job=name, period=period, started_at=now, summary=""
    )
    claimed = db.session.execute(
        statement.on_conflict_do_nothing(index_elements=["job", "period"]).returning(JobRun.id)
    ).first()
    return claimed is not None


def _record(name: str, period: str, summary: str, now: datetime) -> None:
    db.session.execute(
        update(JobRun)
        .where(JobRun.job == name, JobRun.period == period)
        .values(summary=summary[:500], started_at=now)
    )


def run_scheduled(name: str, now: datetime | None = None) -> str | None:
    """The scheduler's run: claim (job, period), then run the body; None when already claimed."""
    job = installed().jobs[name]
    now = now or utcnow()
    period = job.period(now)
    with unit_of_work():
        if not _claim(name, period, now):
            return None
        summary = job.run(now)
        _record(name, period, summary, now)
    return summary


def run_job(name: str, now: datetime | None = None) -> str:
    """Run one job now, in its own unit of work, even if its period ran; returns its summary.

    KeyError when unknown. Its period's row is claimed or locked first.
    """
    job = installed().jobs[name]
    now = now or utcnow()
    period = job.period(now)
    with unit_of_work():
        if not _claim(name, period, now):
            db.session.execute(
                select(JobRun.id)
                .where(JobRun.job == name, JobRun.period == period)
                .with_for_update()
            )
        summary = job.run(now)
        _record(name, period, summary, now)
    return summary


def last_runs() -> dict[str, JobRun]:
    """The latest recorded run of each job."""
    runs = db.session.scalars(db.select(JobRun).order_by(JobRun.started_at))
    return {run.job: run for run in runs}


def prune_runs(day_start: datetime) -> int:
    """Delete job runs started RUN_RETENTION_DAYS before `day_start`, but each job's latest.

    A period never comes back, so a pruned claim is never needed again.
    """
    latest = select(func.max(JobRun.id)).group_by(JobRun.job)
    return delete_in_batches(
        JobRun,
        JobRun.started_at < day_start - timedelta(days=RUN_RETENTION_DAYS),
        JobRun.id.not_in(latest),
    )
