"""Retention: daily jobs that prune what Pojo keeps only for a while.

Each feature declares its own in `Feature.jobs` with `retention_job`, giving a
function that deletes its expired rows (with `pojo.unit_of_work.delete_in_batches`)
counted back from the start of the run's day. Counting from the day, not from
the moment, makes a job idempotent: a second run on the same day has the same
cutoff, finds nothing left to prune and says so, and `job_runs` keeps one row
for the day.

Never pruned: the ledger's entries, the audit log, applied imports (the ledger's
entries refer to them) and anything else that records a decision.
"""

from collections.abc import Callable
from datetime import UTC, datetime, time

from apscheduler.triggers.cron import CronTrigger

from pojo.jobs.registry import Job
from pojo.rows import local_date, site_zone

# Retention jobs run in the night, site time, a few minutes apart (`minute` each).
HOUR = 3


def day_period(now: datetime) -> str:
    """The run's period: its date in the site's zone."""
    return local_date(now).isoformat()


def day_start(now: datetime) -> datetime:
    """The start (midnight, site time) of the day `now` falls in, in UTC."""
    return datetime.combine(local_date(now), time(), tzinfo=site_zone()).astimezone(UTC)


def retention_job(
    name: str, description: str, what: str, prune: Callable[[datetime], int], minute: int
) -> Job:
    """A daily job: `prune(day_start)` deletes `what` (e.g. "idempotency records") that expired."""

    def run(now: datetime) -> str:
        pruned = prune(day_start(now))
        if not pruned:
            return f"nothing to prune: no {what} past their retention"
        return f"{pruned} {what} pruned"

    return Job(
        name=name,
        description=description,
        run=run,
        period=day_period,
        trigger=lambda config: CronTrigger(hour=HOUR, minute=minute, timezone=config["TIMEZONE"]),
    )
