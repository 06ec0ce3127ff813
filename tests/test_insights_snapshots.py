"""Stored segment figures: the job's snapshots give the labels live measuring gives, go stale
with a backdated import (live figures until the next run), and a read never writes them."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.insights import measures, service, snapshots
from pojo.insights.models import SegmentFigures, SegmentSnapshot
from pojo.jobs.models import JobRun
from pojo.jobs.registry import run_job, run_scheduled
from pojo.market import catalogue, redemptions
from pojo.market.demand import price_now
from pojo.market.models import Reward
from pojo.people.service import create_employee, find_employee
from pojo.unit_of_work import unit_of_work
from tests.insights_helpers import _criterion, build_histories
from tests.query_count import counting_statements

JOB = snapshots.JOB


def _random_histories(app, end, seed: int, people: int = 6) -> None:
    """`people` agents earning and redeeming at random over 420 days, a few cancellations."""
    from pojo.awards.service import award

    rng = random.Random(seed)
    with app.app_context(), unit_of_work():
        hr = find_employee("test.giver")
        # Rewards of their own: a reward's redemptions come in time order (its demand).
        rewards = [
            catalogue.create_reward(
                None, at=end - timedelta(days=420), name_en=name, name_fi=name, base_price=price
            )
            for name, price in (("Cinema", 150), ("Lunch", 400), ("Day off", 1200))
        ]
        people = [
            create_employee(f"random{n}", role="agent", team_name="Beta", password=None)
            for n in range(people)
        ]
        # In time order across people: prices follow the redemptions as they come.
        events = sorted(
            (end - timedelta(days=rng.uniform(1, 419)), n)
            for n in range(len(people))
            for _ in range(40)
        )
        balances = [0] * len(people)
        for at, n in events:
            person = people[n]
            reward = rng.choice(rewards)
            price = price_now(reward, at)
            if balances[n] >= price and rng.random() < 0.4:
                made = redemptions.redeem(person, reward.id, price, at=at)
                balances[n] -= price
                if rng.random() < 0.15:
                    redemptions.cancel(hr, made.id, "out of stock", at=at + timedelta(seconds=1))
                    balances[n] += price
            else:
                points = rng.choice((20, 50, 100, 200))
                award(hr, person.username, _criterion(points), "history", at=at)
                balances[n] += points


@pytest.fixture
def histories(app):
    now = utcnow().replace(microsecond=0)
    build_histories(app, now)
    _random_histories(app, now, seed=8)
    with app.app_context():
        service.clear_cache()
    return now


def _job(app, now) -> str:
    with app.app_context():
        return run_job(JOB, now)


def _stored_report(app, monkeypatch, as_of):
    """The report as of `as_of`, failing if it measured anything (it must read the snapshot)."""

    def refuse(*args, **kwargs):
        raise AssertionError("measured live instead of reading the stored figures")

    with app.app_context(), unit_of_work(), monkeypatch.context() as patch:
        patch.setattr(measures, "measure_open", refuse)
        service.clear_cache()
        return service.segment_report(365, as_of)


def _live(app, monkeypatch, as_of) -> dict:
    """Label and figures per participant, measured live (as before the job's first run)."""
    with app.app_context(), unit_of_work(), monkeypatch.context() as patch:
        patch.setattr(snapshots, "stored", lambda *args: None)
        service.clear_cache()
        return {row.username: row.segment for row in service.segment_report(365, as_of).employees}


def _snapshots(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(
                SegmentSnapshot.id,
                SegmentSnapshot.as_of,
                SegmentSnapshot.entries,
                SegmentSnapshot.cancelled,
                SegmentSnapshot.computed_at,
            ).order_by(SegmentSnapshot.as_of)
        ).all()


def test_stored_figures_give_the_labels_and_figures_live_measuring_gives(
    app, histories, monkeypatch
):
    assert _job(app, histories).startswith("4 segment snapshots stored")
    with app.app_context():
        moments = snapshots.moments(histories)
    assert [row.as_of for row in _snapshots(app)] == moments
    seen = set()
    for as_of in moments:
        stored = {row.username: row.segment for row in _stored_report(app, monkeypatch, as_of)
                  .employees}  # fmt: skip
        live = _live(app, monkeypatch, as_of)
        assert {name: s.code for name, s in stored.items()} == {
            name: s.code for name, s in live.items()
        }, as_of
        assert {name: s.features for name, s in stored.items()} == {
            name: s.features for name, s in live.items()
        }, as_of
        seen |= {s.code for s in stored.values()}
    # The histories cover every label, so the comparison is not of five "new" people.
    assert seen == {"impulse", "saver", "balanced", "dormant", "new"}


def test_the_job_twice_in_the_same_state_writes_nothing_the_second_time(app, histories):
    first = _job(app, histories)
    before = _snapshots(app)
    assert _job(app, histories + timedelta(minutes=15)).startswith("segment figures up to date")
    assert _snapshots(app) == before and "stored" in first
    with app.app_context():
        runs = db.session.scalars(
            select(JobRun).where(JobRun.job == JOB).order_by(JobRun.period)
        ).all()
        # One run a quarter hour: the second found nothing to store.
        assert [run.summary for run in runs] == [
            first,
            "segment figures up to date; dashboard figures up to date",
        ]
        today = before[-1].id
        figures = db.session.scalar(select(func.count()).where(SegmentFigures.snapshot_id == today))
    assert figures == 11  # everyone with entries: the 11 agents (HR only gave)
    # A new day: its start is stored and the day before's start dropped.
    tomorrow = _job(app, histories + timedelta(days=1))
    assert "snapshots stored" in tomorrow and "0 old ones dropped" not in tomorrow
    assert today not in {row.id for row in _snapshots(app)}


def test_the_scheduler_runs_it_once_a_quarter_hour_so_a_backdated_change_is_stored_soon(
    app, histories
):
    start = histories.replace(minute=1)
    with app.app_context():
        assert "stored" in run_scheduled(JOB, start)
        # The same quarter hour again: the period is claimed, nothing runs.
        assert run_scheduled(JOB, start + timedelta(minutes=10)) is None
        assert run_scheduled(JOB, start + timedelta(minutes=15)).startswith(
            "segment figures up to date"
        )
        periods = db.session.scalars(select(JobRun.period).where(JobRun.job == JOB)).all()
    assert len(periods) == 2


def _hr_api(app, make_employee):
    from pojo.api.tokens import create_token

    hr = make_employee(role="hr")
    with app.app_context(), unit_of_work():
        _token, plain = create_token(hr)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
    return client


def _writes(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and "segment_" in s]  # fmt: skip


def test_a_backdated_import_is_shown_at_once_and_stored_at_the_next_run(
    app, histories, monkeypatch, runner, tmp_path, make_employee, login
):
    api = _hr_api(app, make_employee)
    hr = login(app.test_client(), make_employee(role="hr", team="Office"))
    _job(app, utcnow())

    def labels():
        body = api.get("/api/v1/insights/segments").get_json()
        return {row["username"]: row["segment"] for row in body["employees"]}

    assert labels()["newcomer"] == "new"
    stored = _snapshots(app)
    # The newcomer's points from an older system, 200 days back: history enough to be measured.
    moved_in = (histories - timedelta(days=200)).isoformat()
    path = tmp_path / "history.csv"
    path.write_text(f"employee,at,kind,points,reward,note\nnewcomer,{moved_in},award,80,,\n")
    result = runner.invoke(args=["history", "import", "--as", "test.giver", str(path)])
    assert result.exit_code == 0, result.output
    with counting_statements(app) as seen:
        assert labels()["newcomer"] != "new"  # live: the snapshot's stamp no longer matches
        assert hr.get("/insights", follow_redirects=True).status_code == 200
    assert _writes(seen) == [] and _snapshots(app) == stored  # a read never stores
    with app.app_context():
        as_of = snapshots.day_start(utcnow())
    with pytest.raises(AssertionError, match="measured live"):
        _stored_report(app, monkeypatch, as_of)
    # The next run stores the moments the import reaches back past; then they are read again.
    summary = _job(app, utcnow())
    assert summary.startswith(("3 segment snapshots stored", "4 segment snapshots stored"))
    stored_now = {r.username: r.segment.code for r in _stored_report(app, monkeypatch, as_of)
                  .employees}  # fmt: skip
    assert stored_now["newcomer"] != "new"
    assert stored_now == {name: s.code for name, s in _live(app, monkeypatch, as_of).items()}


def test_a_cancellation_after_the_run_is_shown_live(app, histories, monkeypatch):
    _job(app, histories)
    with app.app_context(), unit_of_work():
        as_of = snapshots.day_start(histories)
        hr = find_employee("test.giver")
        before = service.segment_report(365, as_of)
        counted = {r.username: r.segment.features.redemptions for r in before.employees}
        from pojo.market.models import Redemption

        last = db.session.scalars(
            select(Redemption)
            .join(Reward, Reward.id == Redemption.reward_id)
            .where(Redemption.employee_id == find_employee("impulse").id)
            .order_by(Redemption.id.desc())
        ).first()
        redemptions.cancel(hr, last.id, "out of stock", at=utcnow())
    with app.app_context(), unit_of_work():
        after = service.segment_report(365, as_of)
        now_counted = {r.username: r.segment.features.redemptions for r in after.employees}
    assert now_counted["impulse"] == counted["impulse"] - 1
