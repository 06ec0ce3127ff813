"""Scheduled jobs: the registry, the scheduler process and their commands.

Keep this feature after every feature with jobs (`Feature.jobs`) in
`pojo.FEATURES`: the development server's in-process scheduler starts here,
with the jobs registered so far.
"""


def _start_scheduler(app) -> None:
    from pojo.jobs.scheduler import start_in_process

    app.extensions["pojo.scheduler"] = start_in_process(app)


def feature():
    from pojo.features import Feature
    from pojo.jobs import models
    from pojo.jobs.cli import jobs_cli, scheduler

    return Feature(
        name="jobs", commands=(jobs_cli, scheduler), models=models, setup=_start_scheduler
    )
