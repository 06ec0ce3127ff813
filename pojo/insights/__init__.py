"""HR insights: how people use Pojo (segments), fairness, the points economy, payroll."""

from flask_babel import lazy_gettext as _l


def _explain(segment) -> str:
    """The one sentence that explains a label (the segments' service words it)."""
    from pojo.insights.service import explain

    return explain(segment)


def _refresh(now) -> str:
    from pojo.insights import snapshots, stored

    return f"{snapshots.refresh(now)}; {stored.refresh(now)}"


def _refresh_period(now) -> str:
    from pojo.insights.snapshots import period

    return period(now)


def feature():
    from apscheduler.triggers.cron import CronTrigger

    from pojo.features import Feature
    from pojo.insights import (
        models,
        payroll_views,  # noqa: F401  (the payroll export's routes on bp)
        threshold_views,  # noqa: F401  (HR's thresholds page on bp)
        views,  # noqa: F401  (the dashboard's routes on bp)
    )
    from pojo.insights.api import bp as api_bp
    from pojo.insights.blueprint import bp
    from pojo.insights.cli import payroll_cli
    from pojo.insights.policy import EXPORT_PAYROLL, VIEW_TEAM_INSIGHTS
    from pojo.insights.profile import wallet_section
    from pojo.insights.snapshots import JOB, REFRESH_MINUTES
    from pojo.jobs.registry import Job
    from pojo.web import NavItem

    return Feature(
        name="insights",
        blueprints=(bp,),
        api_blueprints=(api_bp,),
        sections={"wallet": wallet_section},
        # Supervisors see it too: their teams' aggregates only.
        nav=(
            NavItem(50, "insights.dashboard", _l("Insights"), VIEW_TEAM_INSIGHTS),
            NavItem(77, "insights.payroll", _l("Payroll"), EXPORT_PAYROLL, manage=True),
        ),
        start_pages={"hr": "insights.dashboard", "admin": "insights.dashboard"},
        template_globals={"explain_segment": _explain},
        commands=(payroll_cli,),
        jobs=(
            Job(
                name=JOB,
                description=(
                    "Store the segments' figures as of the day's start and past quarter ends, "
                    "and the dashboard's economy and fairness as of the day's start"
                ),
                run=_refresh,
                period=_refresh_period,
                trigger=lambda config: CronTrigger(
                    minute=f"*/{REFRESH_MINUTES}", timezone=config["TIMEZONE"]
                ),
            ),
        ),
        models=models,
    )
