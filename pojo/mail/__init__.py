"""E-mail notices: the notices that matter, sent after their commit through an outbox.

`pojo.notifications` announces each notice left (`pojo.signals.notices_left`); this feature
queues its e-mail in the same transaction for whoever wants that category (`categories.py`,
chosen on the settings page), and the `send_mail` job (every minute) or `flask mail send`
sends it over SMTP with Flask-Mailman, at most once (`outbox.py`). Without MAIL_SERVER
nothing is queued or sent.
"""

from apscheduler.triggers.cron import CronTrigger

SEND_JOB = "send_mail"


def _minute(now) -> str:
    return now.replace(second=0, microsecond=0).isoformat()


def _send(now) -> str:
    from pojo.mail.sender import send_due

    return send_due(now)


def _queue(app, **notice) -> None:
    from pojo.mail.outbox import queue_notices

    queue_notices(app, **notice)


def _prune(day_start) -> int:
    from flask import current_app

    from pojo.mail.outbox import prune

    return prune(day_start, current_app.config["MAIL_RETENTION_DAYS"])


def _setup(app) -> None:
    from pojo.mail.sender import mailman

    mailman.init_app(app)


def feature():
    from pojo.features import Feature
    from pojo.jobs.registry import Job
    from pojo.jobs.retention import retention_job
    from pojo.mail import models
    from pojo.mail.cli import mail_cli
    from pojo.mail.personal_data import PARTS as PERSONAL_DATA
    from pojo.mail.views import bp, settings_panel
    from pojo.signals import notices_left

    return Feature(
        name="mail",
        blueprints=(bp,),
        commands=(mail_cli,),
        sections={"settings": settings_panel},
        receivers={notices_left: _queue},
        personal_data=PERSONAL_DATA,
        jobs=(
            Job(
                name=SEND_JOB,
                description="Send the queued e-mail notices (with MAIL_SERVER set)",
                run=_send,
                period=_minute,
                trigger=lambda config: CronTrigger(minute="*", timezone=config["TIMEZONE"]),
            ),
            retention_job(
                "prune_mail_outbox",
                "Delete e-mails sent or failed more than POJO_MAIL_RETENTION_DAYS ago (default 30)",
                "e-mails",
                _prune,
                minute=25,
            ),
        ),
        models=models,
        setup=_setup,
    )
