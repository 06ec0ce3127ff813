"""The command-line contract of the exchange and its jobs."""

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from pojo.extensions import db
from pojo.features import installed
from pojo.jobs.models import JobRun
from pojo.jobs.scheduler import build_scheduler, start_in_process
from pojo.market.models import PriceTick, Reward


def invoke(runner, *args):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_reward_create_prints_the_new_rewards_id(app, runner):
    output = invoke(
        runner,
        "reward", "create", "Spa day", "--base-price", "900", "--floor", "500",
        "--ceiling", "1500", "--stock", "4", "--expected-per-30d", "2", "--category", "wellbeing",
    )  # fmt: skip
    with app.app_context():
        reward = db.session.get(Reward, int(output.strip()))
        assert (reward.name_en, reward.name_fi, reward.category) == (
            "Spa day",
            "Spa day",
            "wellbeing",
        )
        assert (reward.floor_price, reward.base_price, reward.ceiling_price) == (500, 900, 1500)
        assert (reward.stock, reward.expected_per_30d) == (4, 2)


def test_reward_create_defaults_floor_and_ceiling_around_the_base(app, runner):
    reward_id = int(invoke(runner, "reward", "create", "Hoodie", "--base-price", "250"))
    with app.app_context():
        reward = db.session.get(Reward, reward_id)
        assert (reward.floor_price, reward.ceiling_price, reward.stock) == (150, 500, None)


def test_reward_create_with_bad_prices_says_why_and_creates_nothing(app, runner):
    result = runner.invoke(
        args=["reward", "create", "Pen", "--base-price", "100", "--floor", "200"]
    )
    assert result.exit_code == 1
    assert "floor < base < ceiling" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reward)) == 0


def test_jobs_list_names_the_tick_and_jobs_run_runs_it_once_per_interval(app, runner):
    invoke(runner, "reward", "create", "Hoodie", "--base-price", "250")
    assert "price_tick" in invoke(runner, "jobs", "list")
    assert invoke(runner, "jobs", "run", "price_tick").strip() == "1 price ticks recorded"
    assert invoke(runner, "market", "tick").strip() == "0 price ticks recorded"
    assert "last " in invoke(runner, "jobs", "list")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PriceTick)) == 1


def test_jobs_run_unknown_name_is_a_usage_error(runner):
    result = runner.invoke(args=["jobs", "run", "nope"])
    assert result.exit_code == 2
    assert "price_tick" in result.output


def test_scheduler_has_every_job_by_explicit_id_and_coalesces(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = build_scheduler(app, BackgroundScheduler)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(installed(app).jobs)
    tick = jobs["price_tick"]
    assert tick.coalesce and tick.misfire_grace_time > 0 and tick.max_instances == 1
    assert tick.trigger.interval == timedelta(minutes=app.config["PRICE_TICK_MINUTES"])


def test_no_in_process_scheduler_outside_the_development_server(app):
    assert start_in_process(app) is None  # tests
    served = Flask("gunicorn-like")
    served.config.update(SCHEDULER_IN_PROCESS=True)
    assert start_in_process(served) is None  # not under `flask run`


def test_tick_interval_follows_the_setting(make_app):
    from pojo.market.ticks import tick_period_start

    moment = datetime(2026, 11, 23, 10, 44, 30, tzinfo=UTC)
    for minutes, start in ((15, "10:30:00"), (60, "10:00:00"), (1, "10:44:00"), (5, "10:40:00")):
        with make_app(PRICE_TICK_MINUTES=minutes).app_context():
            assert f"{tick_period_start(moment):%H:%M:%S}" == start, minutes


def test_a_scheduled_run_claims_its_period_so_a_second_one_runs_nothing(app):
    from pojo.jobs.registry import run_job, run_scheduled
    from tests.market_helpers import add_reward

    now = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)
    add_reward(app)
    with app.app_context():
        assert run_scheduled("price_tick", now) == "1 price ticks recorded"
    add_reward(app, name_en="Hoodie")
    with app.app_context():
        # Another scheduler in the same hour: the period is taken, the new reward waits.
        assert run_scheduled("price_tick", now + timedelta(minutes=20)) is None
        assert db.session.scalar(select(func.count()).select_from(PriceTick)) == 1
        # An operator's `flask jobs run` runs the body again, on the same row.
        assert run_job("price_tick", now + timedelta(minutes=30)) == "1 price ticks recorded"
        runs = db.session.scalars(select(JobRun)).all()
        assert [(run.period, run.summary) for run in runs] == [
            ("2026-11-23T10:00:00+00:00", "1 price ticks recorded")
        ]
