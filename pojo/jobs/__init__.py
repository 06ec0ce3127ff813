"""Scheduled jobs: the registry, the scheduler process and their commands.

Keep this feature after every feature with jobs (`Feature.jobs`) in
`pojo.FEATURES`: the development server's in-process scheduler starts here,
with the jobs registered so far.
"""


def _start_scheduler(app) -> None:
    from pojo.jobs.scheduler import start_in_process

    app.extensions["pojo.scheduler"] = start_in_process(app)


def _prune_runs(day_start) -> int:
    from pojo.jobs.registry import prune_runs

    return prune_runs(day_start)


def feature():
    from pojo.features import Feature
    from pojo.jobs import models
    from pojo.jobs.cli import jobs_cli, scheduler
    from pojo.jobs.retention import retention_job

    return Feature(
        name="jobs",
        commands=(jobs_cli, scheduler),
        jobs=(
            retention_job(
                "prune_job_runs",
                "Delete job runs older than 30 days (each job's latest run stays)",
                "job runs",
                _prune_runs,
                minute=30,
            ),
        ),
        models=models,
        setup=_start_scheduler,
    )
