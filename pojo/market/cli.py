"""`flask reward create` and `flask market tick`."""

import click
from flask.cli import AppGroup

from pojo.jobs.registry import run_job
from pojo.market import catalogue
from pojo.market.models import CATEGORIES, REWARD_KINDS
from pojo.unit_of_work import cli_unit_of_work

reward_cli = AppGroup("reward", help="Manage the exchange's rewards.")
market_cli = AppGroup("market", help="The exchange.")

PRICE_TICK_JOB = "price_tick"


@reward_cli.command("create")
@click.argument("name")
@click.option("--base-price", type=click.IntRange(min=1), required=True)
@click.option("--floor", type=click.IntRange(min=1), help="Default: 60 % of the base price.")
@click.option("--ceiling", type=click.IntRange(min=1), help="Default: twice the base price.")
@click.option("--stock", type=click.IntRange(min=0), help="Default: unlimited.")
@click.option("--expected-per-30d", type=click.IntRange(min=1), default=4, show_default=True)
@click.option(
    "--max-step-pct",
    type=click.IntRange(1, 25),
    default=8,
    show_default=True,
    help="The most one redemption raises the price, in percent.",
)
@click.option(
    "--half-life-days",
    type=click.IntRange(3, 60),
    default=14,
    show_default=True,
    help="Demand halves in this many days without redemptions.",
)
@click.option("--category", type=click.Choice(CATEGORIES), default="item", show_default=True)
@click.option("--kind", type=click.Choice(REWARD_KINDS), default="standard", show_default=True)
@click.option("--name-fi", help="Finnish name (default: NAME).")
def create_reward(
    name,
    base_price,
    floor,
    ceiling,
    stock,
    expected_per_30d,
    max_step_pct,
    half_life_days,
    category,
    kind,
    name_fi,
):
    """Add a reward and print its id."""
    with cli_unit_of_work():
        reward = catalogue.create_reward(
            None,
            name_en=name,
            name_fi=name_fi or name,
            category=category,
            kind=kind,
            base_price=base_price,
            floor_price=floor,
            ceiling_price=ceiling,
            stock=stock,
            expected_per_30d=expected_per_30d,
            max_step_pct=max_step_pct,
            half_life_days=half_life_days,
        )
    click.echo(reward.id)


@market_cli.command("tick")
def tick():
    """Record this interval's price of every reward now (the scheduled price_tick job)."""
    click.echo(run_job(PRICE_TICK_JOB))
