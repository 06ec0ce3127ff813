"""Retention: nightly jobs prune what is kept only for a while, and never the ledger."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, func, select

from pojo.api.models import IdempotencyRecord
from pojo.auth.models import LoginCounter
from pojo.auth.throttle import window_start
from pojo.extensions import db
from pojo.features import installed
from pojo.history.models import HistoryImport, ImportRun
from pojo.jobs.models import JobRun
from pojo.jobs.registry import run_job
from pojo.ledger.models import Balance, LedgerEntry
from pojo.notifications.models import Notification
from pojo.outcomes.models import OutcomeImport
from pojo.people.service import find_employee
from pojo.unit_of_work import delete_in_batches, unit_of_work
from tests.market_helpers import give_points

# Noon in Helsinki's winter: the day began at 22:00 UTC the evening before.
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
RETENTION_JOBS = (
    "prune_idempotency_records",
    "prune_login_counters",
    "prune_outcome_uploads",
    "prune_history_uploads",
    "prune_read_notifications",
    "prune_mail_outbox",
    "prune_job_runs",
)


def add(app, *rows) -> None:
    with app.app_context(), unit_of_work():
        db.session.add_all(rows)


def run(app, name, at=NOW) -> str:
    with app.app_context():
        return run_job(name, now=at)


def remaining(app, column) -> list:
    with app.app_context():
        return sorted(db.session.scalars(select(column)))


def employee_id(app, username) -> int:
    with app.app_context():
        return find_employee(username).id


def idempotency_record(owner: int, key: str, created_at: datetime) -> IdempotencyRecord:
    return IdempotencyRecord(
        employee_id=owner,
        key=key,
        method="POST",
        path="/api/v1/awards",
        request_hash="0" * 64,
        status_code=201,
        response_body="{}",
        created_at=created_at,
    )


def test_every_retention_job_is_installed_and_runs_nightly(app):
    with app.app_context():
        jobs = installed().jobs
        assert set(RETENTION_JOBS) <= set(jobs)
        for name in RETENTION_JOBS:
            assert "hour='3'" in str(jobs[name].trigger(app.config))


def test_idempotency_records_go_after_24_hours_once_a_day(app, make_employee):
    owner = employee_id(app, make_employee())
    add(
        app,
        idempotency_record(owner, "three-days", NOW - timedelta(days=3)),
        idempotency_record(owner, "yesterday", NOW - timedelta(hours=23)),
        idempotency_record(owner, "fresh", NOW - timedelta(minutes=5)),
    )

    assert run(app, "prune_idempotency_records") == "1 idempotency records pruned"
    assert remaining(app, IdempotencyRecord.key) == ["fresh", "yesterday"]
    # Later the same day "yesterday" is past 24 hours, but the day's cutoff stands: a rerun
    # of the day prunes nothing, says so, and the day keeps one job run.
    later = NOW + timedelta(hours=6)
    assert run(app, "prune_idempotency_records", later) == (
        "nothing to prune: no idempotency records past their retention"
    )
    assert remaining(app, IdempotencyRecord.key) == ["fresh", "yesterday"]
    with app.app_context():
        runs = db.session.scalars(
            select(JobRun).where(JobRun.job == "prune_idempotency_records")
        ).all()
        assert [(r.period, r.summary) for r in runs] == [
            ("2026-12-03", "nothing to prune: no idempotency records past their retention")
        ]
    assert run(app, "prune_idempotency_records", NOW + timedelta(days=1)) == (
        "1 idempotency records pruned"
    )
    assert remaining(app, IdempotencyRecord.key) == ["fresh"]


def test_login_counters_go_once_their_window_has_ended(app):
    minutes = app.config["LOGIN_WINDOW_MINUTES"]
    current = window_start(NOW, minutes)
    add(
        app,
        LoginCounter(scope="pair", key="old", window_start=NOW - timedelta(days=2), failures=5),
        LoginCounter(scope="account", key="old", window_start=NOW - timedelta(days=1), failures=1),
        LoginCounter(scope="pair", key="now", window_start=current, failures=3),
    )

    assert run(app, "prune_login_counters") == "2 login counters pruned"
    assert remaining(app, LoginCounter.key) == ["now"]
    assert run(app, "prune_login_counters").startswith("nothing to prune")


def test_only_abandoned_outcome_previews_go_after_a_day(app, make_employee):
    supervisor = employee_id(app, make_employee(role="supervisor"))
    hr = employee_id(app, make_employee(role="hr"))
    old = NOW - timedelta(days=2)

    def upload(filename, created_at=old, **decision):
        return OutcomeImport(
            uploaded_by_id=supervisor,
            filename=filename,
            content="employee,kind,score\n",
            created_at=created_at,
            **decision,
        )

    add(
        app,
        upload("abandoned.csv"),
        upload("waiting-for-hr.csv", submitted_at=old),
        upload("rejected.csv", submitted_at=old, rejected_at=old, decided_by_id=hr),
        upload("applied.csv", applied_at=old),
        upload("this-morning.csv", created_at=NOW - timedelta(hours=2)),
    )

    assert run(app, "prune_outcome_uploads") == "1 abandoned outcome uploads pruned"
    assert remaining(app, OutcomeImport.filename) == [
        "applied.csv",
        "rejected.csv",
        "this-morning.csv",
        "waiting-for-hr.csv",
    ]
    assert run(app, "prune_outcome_uploads").startswith("nothing to prune")


def test_unapplied_history_uploads_go_after_a_day_with_their_progress(app, make_employee):
    hr = employee_id(app, make_employee(role="hr"))
    old = NOW - timedelta(days=2)

    def upload(filename, created_at=old, **applied):
        return HistoryImport(
            kind="history",
            filename=filename,
            sha256=filename.ljust(64, "0")[:64],
            content="",
            uploaded_by_id=hr,
            created_at=created_at,
            **applied,
        )

    failed = upload("failed.csv")
    add(
        app,
        failed,
        upload("applied.csv", applied_at=old, applied_sha256="a" * 64),
        upload("this-morning.csv", created_at=NOW - timedelta(hours=2)),
    )
    with app.app_context():
        failed_id = db.session.scalar(
            select(HistoryImport.id).where(HistoryImport.filename == "failed.csv")
        )
    add(app, ImportRun(import_id=failed_id, token="t", status="failed", stage="apply"))

    assert run(app, "prune_history_uploads") == "1 unapplied history uploads pruned"
    assert remaining(app, HistoryImport.filename) == ["applied.csv", "this-morning.csv"]
    assert remaining(app, ImportRun.import_id) == []
    assert run(app, "prune_history_uploads").startswith("nothing to prune")


def test_read_notifications_go_after_the_setting_and_unread_ones_stay(app, make_employee):
    agent = employee_id(app, make_employee())

    def notice(days_old, read):
        created = NOW - timedelta(days=days_old)
        return Notification(
            employee_id=agent,
            kind="goal_affordable",
            params=f'{{"days": {days_old}}}',
            created_at=created,
            read_at=created + timedelta(hours=1) if read else None,
        )

    add(app, notice(200, read=True), notice(400, read=False), notice(100, read=True))
    assert app.config["NOTIFICATION_RETENTION_DAYS"] == 180

    assert run(app, "prune_read_notifications") == "1 read notifications pruned"
    assert remaining(app, Notification.params) == ['{"days": 100}', '{"days": 400}']

    app.config["NOTIFICATION_RETENTION_DAYS"] = 30
    assert run(app, "prune_read_notifications", NOW + timedelta(days=1)) == (
        "1 read notifications pruned"
    )
    assert remaining(app, Notification.params) == ['{"days": 400}']


def test_job_runs_go_after_30_days_but_each_jobs_latest_stays(app):
    old = NOW - timedelta(days=40)
    add(
        app,
        JobRun(job="send_mail", period="old-1", started_at=old),
        JobRun(job="send_mail", period="old-2", started_at=old + timedelta(minutes=1)),
        JobRun(job="send_mail", period="recent", started_at=NOW - timedelta(days=2)),
        JobRun(job="contract_end", period="only", started_at=old),
    )
    assert run(app, "prune_job_runs") == "2 job runs pruned"
    # contract_end's one old run is its latest; the run of the pruning itself is today's.
    assert remaining(app, JobRun.period) == ["2026-12-03", "only", "recent"]
    assert run(app, "prune_job_runs") == "nothing to prune: no job runs past their retention"


def test_a_backlog_is_deleted_in_batches_each_committed_on_its_own(app, make_employee):
    owner = employee_id(app, make_employee())
    old = NOW - timedelta(days=3)
    add(app, *(idempotency_record(owner, f"key-{n}", old) for n in range(5)))
    commits = []

    with app.app_context():
        event.listen(db.session(), "after_commit", lambda _session: commits.append(1))
        deleted = delete_in_batches(IdempotencyRecord, IdempotencyRecord.created_at < NOW, batch=2)
        assert deleted == 5
        assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    # 2 + 2 + 1 rows: three transactions, none holding the whole backlog's locks.
    assert len(commits) == 3


def test_retention_jobs_leave_the_ledger_untouched(app, make_employee):
    agents = [make_employee() for _ in range(2)]
    for agent in agents:
        give_points(app, agent, 50, at=NOW - timedelta(days=400))
        give_points(app, agent, 20, at=NOW - timedelta(days=2))
    with app.app_context():
        entries_before = db.session.execute(select(LedgerEntry.__table__)).all()
        balances_before = db.session.execute(select(Balance.__table__)).all()

    for name in RETENTION_JOBS:
        run(app, name, NOW + timedelta(days=3650))

    with app.app_context():
        assert db.session.execute(select(LedgerEntry.__table__)).all() == entries_before
        assert db.session.execute(select(Balance.__table__)).all() == balances_before
        assert len(entries_before) == 4
