"""The exchange: rewards with demand-driven prices, redemptions, goals."""

from apscheduler.triggers.interval import IntervalTrigger
from flask_babel import lazy_gettext as _l


def _tick(now) -> str:
    from pojo.market.ticks import record_ticks

    return f"{record_ticks(now)} price ticks recorded"


def _tick_period(now) -> str:
    from pojo.market.ticks import tick_period_start

    return tick_period_start(now).isoformat()


def _points_credited(app, *, employee_ids, at) -> None:
    """Goals of employees whose balance grew: one check per batch, however many credits."""
    from pojo.market.goals import check_goals

    ids = sorted(employee_ids)
    # Chunked: a bulk import may credit more employees than one IN list should hold.
    for start in range(0, len(ids), 1000):
        check_goals(employee_ids=ids[start : start + 1000], at=at)


def feature():
    from pojo.features import Feature, MeField
    from pojo.jobs.registry import Job
    from pojo.market import admin_views, models  # noqa: F401  (admin_views: HR's routes on bp)
    from pojo.market.api import GOAL, goal_of
    from pojo.market.api import bp as api_bp
    from pojo.market.blueprint import bp
    from pojo.market.cli import PRICE_TICK_JOB, market_cli, reward_cli
    from pojo.market.explained import how_it_works_section
    from pojo.market.invariants import CHECKS
    from pojo.market.notices import TEXTS as NOTICES
    from pojo.market.personal_data import PARTS as PERSONAL_DATA
    from pojo.market.policy import FULFIL_REDEMPTIONS, MANAGE_CATALOGUE
    from pojo.market.references import describe_redemptions
    from pojo.market.views import wallet_section
    from pojo.signals import points_credited
    from pojo.web import NavItem

    return Feature(
        name="market",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        api_blueprints=(api_bp,),
        commands=(reward_cli, market_cli),
        nav=(
            NavItem(10, "market.board", _l("Market")),
            NavItem(70, "market.queue", _l("Redemptions"), FULFIL_REDEMPTIONS, manage=True),
            NavItem(75, "market.admin_rewards", _l("Rewards"), MANAGE_CATALOGUE, manage=True),
        ),
        sections={"wallet": wallet_section, "how_it_works": how_it_works_section},
        references={"redemption": describe_redemptions},
        checks=CHECKS,
        jobs=(
            Job(
                name=PRICE_TICK_JOB,
                description="Record every reward's price once per interval",
                run=_tick,
                period=_tick_period,
                trigger=lambda config: IntervalTrigger(minutes=config["PRICE_TICK_MINUTES"]),
            ),
        ),
        start_pages={"agent": "market.board"},
        me_fields=(MeField("goal", goal_of, GOAL),),
        receivers={points_credited: _points_credited},
        models=models,
        # The market words its own notifications; pojo.notifications stores and lists them.
        notices=NOTICES,
    )
