"""Scheduled jobs: the registry, the scheduler process and their commands.

Keep this feature after every feature that registers jobs in
`pojo.FEATURES`: the development server's in-process scheduler starts here.
"""


def init_app(app):
    from pojo.jobs import models  # noqa: F401  (tables known to migrations)
    from pojo.jobs.cli import jobs_cli, scheduler
    from pojo.jobs.scheduler import start_in_process

    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler)
    app.extensions["pojo.scheduler"] = start_in_process(app)
