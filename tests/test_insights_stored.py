"""The dashboard's stored economy and fairness: the job's figures are the live ones exactly, a
backdated import makes them stale (live until the next run), the job is idempotent, and a page
view reads them without writing anything."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.insights import measures, snapshots, stored, trend
from pojo.insights.cache import forget
from pojo.insights.models import InsightsFigures
from pojo.insights.thresholds import current_thresholds
from pojo.jobs.registry import run_job
from pojo.people.service import get_employee
from pojo.people.settings import set_setting
from pojo.rows import site_zone
from tests.insights_helpers import build_histories
from tests.query_count import counting_statements
from tests.test_insights_snapshots import _random_histories

KINDS = (stored.ECONOMY, stored.FAIRNESS)


@pytest.fixture
def histories(app, make_employee):
    now = utcnow().replace(microsecond=0)
    build_histories(app, now)
    _random_histories(app, now, seed=3)
    # HR's own login, made before the job: a new employee changes the stamp's fingerprint.
    hr = make_employee(role="hr", team="Office")
    return now, hr


def _job(app, now) -> str:
    with app.app_context():
        return run_job(snapshots.JOB, now)


def _stored(app, now) -> dict:
    """The stored figures of each kind under the data's stamp now (None: missing or stale)."""
    with app.app_context():
        since = snapshots.day_start(now)
        current = stored.stamp(since)
        return {kind: stored.read(kind, 365, since, current, now) for kind in KINDS}


def _live(app, now) -> dict:
    with app.app_context():
        since = snapshots.day_start(now)
        return {kind: stored.work_out(kind, 365, since, now) for kind in KINDS}


def _rows(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(
                InsightsFigures.id,
                InsightsFigures.kind,
                InsightsFigures.as_of,
                InsightsFigures.entries,
                InsightsFigures.computed_at,
            ).order_by(InsightsFigures.kind)
        ).all()


def _refuse_live(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("worked out live instead of reading the stored figures")

    monkeypatch.setattr(stored, "work_out", refuse)


def test_the_stored_economy_and_fairness_are_the_live_figures_exactly(app, histories):
    now, _hr = histories
    assert _stored(app, now) == {kind: None for kind in KINDS}  # before the first run
    assert "dashboard figures stored: economy, fairness" in _job(app, now)
    found, live = _stored(app, now), _live(app, now)
    assert found == live
    economy, fairness = found[stored.ECONOMY], found[stored.FAIRNESS]
    # Not an empty comparison: the histories spend, give and are spread over teams.
    assert economy.median_days_to_spend is not None and economy.redeemed > 0
    assert economy.months and economy.rewards and any(r.redemptions for r in economy.rewards)
    assert fairness.givers and fairness.members and fairness.teams
    assert isinstance(economy.months[0].period.start.tzinfo, type(now.tzinfo))


def test_the_page_reads_the_stored_figures_and_writes_nothing(app, histories, login, monkeypatch):
    now, hr = histories
    _job(app, utcnow())
    client = login(app.test_client(), hr)
    before = _rows(app)
    _refuse_live(monkeypatch)
    with app.app_context():
        forget()
    with counting_statements(app) as seen:
        page = client.get("/insights")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    writes = [s for s in seen if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [] and _rows(app) == before


def test_a_backdated_import_makes_them_stale_until_the_next_run(
    app, histories, runner, tmp_path, login, monkeypatch
):
    now, hr = histories
    _job(app, utcnow())
    issued = _stored(app, utcnow())[stored.ECONOMY].issued
    before = _rows(app)
    moved_in = (now - timedelta(days=200)).isoformat()
    path = tmp_path / "history.csv"
    path.write_text(f"employee,at,kind,points,reward,note\nnewcomer,{moved_in},award,80,,\n")
    result = runner.invoke(args=["history", "import", "--as", "test.giver", str(path)])
    assert result.exit_code == 0, result.output
    assert _stored(app, utcnow()) == {kind: None for kind in KINDS}  # stale: the stamp moved
    client = login(app.test_client(), hr)
    with app.app_context():
        forget()
    with counting_statements(app) as seen:
        page = client.get("/insights")
    assert page.status_code == 200
    assert not [s for s in seen if "insights_figures" in s and not s.lstrip().startswith("SELECT")]
    assert _rows(app) == before
    # The next run stores them again, with the import counted; the page reads them.
    assert "dashboard figures stored: economy, fairness" in _job(app, utcnow())
    later = utcnow()
    found = _stored(app, later)
    assert found == _live(app, later)
    assert found[stored.ECONOMY].issued == issued + 80
    _refuse_live(monkeypatch)
    with app.app_context():
        forget()
    assert client.get("/insights").status_code == 200


def test_the_job_twice_in_the_same_state_writes_nothing_the_second_time(app, histories):
    now, _hr = histories
    first = _job(app, now)
    before = _rows(app)
    assert [row.kind for row in before] == [*KINDS, stored.TREND] and "stored" in first
    second = _job(app, now + timedelta(minutes=15))
    assert second.endswith("dashboard figures up to date")
    assert _rows(app) == before
    # A new day: its start's figures replace the day before's.
    tomorrow = _job(app, now + timedelta(days=1))
    assert "dashboard figures stored: economy, fairness, trend; 3 old ones dropped" in tomorrow
    with app.app_context():
        new_day = snapshots.day_start(now + timedelta(days=1))
    assert {row.as_of for row in _rows(app)} == {new_day}


def _trend(app, now, stored_only: bool):
    """The trend's codes as of the past quarter ends: the job's stored ones (None: missing,
    stale, or classified otherwise), or classified live from the measured figures."""
    from pojo.insights import periods, service

    with app.app_context():
        since = snapshots.day_start(now)
        ends = [q.end for q in periods.quarter_ends(now, site_zone())[:-1]]
        if stored_only:
            payload = stored.payload(stored.TREND, 365, since, stored.stamp(since))
            return service.stored_codes(365, ends, payload)
        forget()
        live = {end: measures.measure_open(365, end) for end in ends}
        thresholds, prices = current_thresholds(), measures.catalogue()
        return {end: trend.codes_of(live[end], 365, thresholds, prices) for end in ends}


def test_the_stored_trend_is_the_live_codes_and_new_thresholds_are_classified_again(
    app, histories, login, monkeypatch
):
    now, hr = histories
    assert _trend(app, now, stored_only=True) is None  # before the first run
    _job(app, now)
    found = _trend(app, now, stored_only=True)
    assert found == _trend(app, now, stored_only=False)
    # Not an empty comparison: the past quarters hold several labels.
    assert len({code for codes, _blank in found.values() for code in codes.values()}) >= 3
    # The page counts the stored codes: nothing is classified for the past quarters.
    from pojo.insights import service

    client = login(app.test_client(), hr)

    def refuse(*args, **kwargs):
        raise AssertionError("classified the past quarters instead of reading the stored codes")

    with monkeypatch.context() as patched:
        patched.setattr(service, "segment_codes", refuse)
        with app.app_context():
            forget()
        assert client.get("/insights").status_code == 200
    # HR asks for a longer history before a label: the stored codes are not read ...
    with app.app_context():
        set_setting(get_employee(hr), "insights_new_days", 300)
        db.session.commit()
    assert _trend(app, now, stored_only=True) is None
    live = _trend(app, now, stored_only=False)
    assert live != found  # the change moves people into "new"
    with app.app_context():
        forget()
    assert client.get("/insights").status_code == 200
    # ... and the next run classifies them again, the rest staying as it was.
    assert "dashboard figures stored: trend; 0 old ones dropped" in _job(app, now)
    assert _trend(app, now, stored_only=True) == live
