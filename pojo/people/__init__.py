"""People: employees, teams and roles; temps' contracts and HR's settings."""

from apscheduler.triggers.cron import CronTrigger
from flask_babel import lazy_gettext as _l

CONTRACT_REMINDERS_JOB = "contract_reminders"
CONTRACT_END_JOB = "contract_end"


def _reminders(now) -> str:
    from pojo.people.contracts import send_reminders

    return f"{send_reminders(now)} contract reminders sent"


def _ends(now) -> str:
    from pojo.people.contracts import end_contracts

    return f"{end_contracts(now)} ended contracts deactivated"


def _day(now) -> str:
    from pojo.rows import local_date

    return local_date(now).isoformat()


def _hourly(minute: int):
    """Every hour: the jobs act once per date and are safe to rerun, so a missed hour catches up."""
    return lambda config: CronTrigger(hour="*", minute=minute, timezone=config["TIMEZONE"])


def feature():
    from pojo.features import Feature
    from pojo.jobs.registry import Job
    from pojo.people import contract_views, models  # noqa: F401  (contract_views: routes on bp)
    from pojo.people.cli import user_cli
    from pojo.people.forms import role_name
    from pojo.people.notices import TEXTS as NOTICES
    from pojo.people.personal_data import PARTS as PERSONAL_DATA
    from pojo.people.policy import VIEW_PEOPLE
    from pojo.people.views import bp
    from pojo.web import NavItem

    return Feature(
        name="people",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        commands=(user_cli,),
        # HR reaches the contracts page from the people list (its "Contracts ending" button).
        nav=(NavItem(80, "people.index", _l("People"), VIEW_PEOPLE, manage=True),),
        template_globals={"role_name": role_name},
        jobs=(
            Job(
                name=CONTRACT_REMINDERS_JOB,
                description="Remind temps 14 and 3 days before their contract ends, once each",
                run=_reminders,
                period=_day,
                trigger=_hourly(5),
            ),
            Job(
                name=CONTRACT_END_JOB,
                description="Deactivate temps the day after their contract ends; handle their points",
                run=_ends,
                period=_day,
                trigger=_hourly(10),
            ),
        ),
        models=models,
        notices=NOTICES,
    )
