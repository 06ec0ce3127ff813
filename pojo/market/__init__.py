"""The exchange: rewards with demand-driven prices, redemptions, goals."""

from apscheduler.triggers.interval import IntervalTrigger
from flask_babel import lazy_gettext as _l


def _tick(now) -> str:
    from pojo.market.service import record_ticks

    return f"{record_ticks(now)} price ticks recorded"


def _tick_period(now) -> str:
    from pojo.market.service import tick_period_start

    return tick_period_start(now).isoformat()


def _points_credited(employee_ids, at) -> None:
    """Goals of employees whose balance grew: one check per batch, however many credits."""
    from pojo.market.goals import check_goals

    ids = sorted(employee_ids)
    # Chunked: a bulk import may credit more employees than one IN list should hold.
    for start in range(0, len(ids), 1000):
        check_goals(employee_ids=ids[start : start + 1000], at=at)


def init_app(app):
    from pojo.home import START_PAGES
    from pojo.jobs.registry import Job, register_job
    from pojo.ledger import references
    from pojo.ledger.events import on_credit
    from pojo.market import models  # noqa: F401  (tables known to migrations)
    from pojo.market.api import init_api
    from pojo.market.cli import PRICE_TICK_JOB, market_cli, reward_cli
    from pojo.market.invariants import register_checks
    from pojo.market.references import describe_redemptions
    from pojo.market.views import bp, wallet_section
    from pojo.web import PEOPLE_ADMINS, register_nav, register_section

    app.register_blueprint(bp)
    init_api(app)
    app.cli.add_command(reward_cli)
    app.cli.add_command(market_cli)
    register_checks()
    references.register("redemption", describe_redemptions)
    on_credit(_points_credited)
    register_job(
        Job(
            name=PRICE_TICK_JOB,
            description="Record every reward's price once per interval",
            run=_tick,
            period=_tick_period,
            trigger=lambda config: IntervalTrigger(minutes=config["PRICE_TICK_MINUTES"]),
        )
    )
    register_nav(10, "market.board", _l("Market"))
    register_nav(70, "market.queue", _l("Redemptions"), roles=PEOPLE_ADMINS, manage=True)
    register_nav(75, "market.admin_rewards", _l("Rewards"), roles=PEOPLE_ADMINS, manage=True)
    register_section("wallet", wallet_section)
    START_PAGES["agent"] = "market.board"
