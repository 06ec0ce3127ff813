"""In-app notifications: the bell and the list behind it."""


def _prune_read(day_start) -> int:
    from flask import current_app

    from pojo.notifications.service import prune_read

    return prune_read(day_start, current_app.config["NOTIFICATION_RETENTION_DAYS"])


def feature():
    from pojo.features import Feature
    from pojo.jobs.retention import retention_job
    from pojo.notifications import models
    from pojo.notifications.personal_data import PARTS as PERSONAL_DATA
    from pojo.notifications.views import bp

    return Feature(
        name="notifications",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        jobs=(
            retention_job(
                "prune_read_notifications",
                "Delete read notifications older than POJO_NOTIFICATION_RETENTION_DAYS (default 180)",
                "read notifications",
                _prune_read,
                minute=20,
            ),
        ),
        models=models,
    )
