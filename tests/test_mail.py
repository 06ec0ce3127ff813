"""E-mail notices reach people's real mailboxes (an SMTP server the tests start), once each,
in their language, only the categories they want, and only for what was committed."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.jobs.registry import run_scheduled
from pojo.mail import SEND_JOB, outbox
from pojo.mail.models import OutboxMail
from pojo.mail.sender import send_due
from pojo.unit_of_work import unit_of_work
from tests.smtp_server import mail_config

NOTE = "Calmed an angry caller and kept the customer"


@pytest.fixture
def app_overrides(smtp_server):
    return mail_config(smtp_server)


def award_form(employee, request_id="r1"):
    return {"employee": employee, "criterion": "fcr", "note": NOTE, "request_id": request_id}


def _award(supervisor, agent, request_id="r1"):
    response = supervisor.post("/awards/new", data=award_form(agent, request_id))
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def _run_send_job(app, minutes_later=0):
    with app.app_context():
        return run_scheduled(SEND_JOB, utcnow() + timedelta(minutes=minutes_later))


def _outbox(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id))
        return [(row.recipient, row.status, row.attempts) for row in rows]


def _team(app, client_as, make_employee, language="en", email="aino@example.com"):
    supervisor = client_as("supervisor", team="Alpha")
    agent = make_employee("aino", team="Alpha", language=language, email=email)
    return supervisor, agent


def test_an_award_reaches_the_agents_mailbox_after_the_job_runs(
    app, client_as, make_employee, smtp_server
):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    assert smtp_server.messages == []  # queued with the award, sent after its commit
    assert "1 e-mails sent" in _run_send_job(app)
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "aino@example.com"
    assert mail["From"] == "Pojo <pojo@pojo.test>"
    assert mail["Subject"] == "Pojo: you were awarded points"
    assert mail["Auto-Submitted"] == "auto-generated"
    body = mail.get_content()
    assert f"awarded you 20 points for First-contact resolution: {NOTE}" in body
    assert "http://pojo.test/wallet" in body  # the page, as an address to open
    assert "http://pojo.test/settings#email" in body  # where to turn it off
    assert _outbox(app) == [("aino@example.com", "sent", 1)]


def test_a_finnish_agent_gets_the_award_in_finnish(app, client_as, make_employee, smtp_server):
    supervisor, agent = _team(app, client_as, make_employee, language="fi")
    _award(supervisor, agent)
    _run_send_job(app)
    [mail] = smtp_server.wait_for(1)
    assert mail["Subject"] == "Pojo: sait pojoja"
    body = mail.get_content()
    assert "antoi sinulle 20 pojoa" in body
    assert "Avaa se Pojossa: http://pojo.test/wallet" in body


def test_a_rolled_back_award_queues_nothing(app, make_employee, smtp_server):
    from pojo.awards import service as awards
    from pojo.people.service import find_employee

    supervisor = make_employee("sami", role="supervisor", team="Alpha")
    agent = make_employee("aino", team="Alpha", email="aino@example.com")
    with app.app_context(), pytest.raises(RuntimeError), unit_of_work():
        awards.award(find_employee(supervisor), agent, "fcr", NOTE, request_id="r1")
        assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 1
        raise RuntimeError("something after the award failed")
    assert _outbox(app) == []
    _run_send_job(app)
    assert smtp_server.messages == []


def test_running_the_sender_twice_sends_once(app, client_as, make_employee, smtp_server):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    with app.app_context():
        assert send_due() == "1 e-mails sent"
        assert send_due() == "0 e-mails sent"
    _run_send_job(app)
    _run_send_job(app, minutes_later=5)
    assert len(smtp_server.wait_for(1)) == 1


def test_flask_mail_send_sends_what_is_due(app, client_as, make_employee, runner, smtp_server):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 e-mails sent" in result.output
    assert len(smtp_server.wait_for(1)) == 1
    status = runner.invoke(args=["mail", "status"])
    assert "sent: 1" in status.output


def test_an_smtp_failure_is_retried_later_and_then_sent_once(
    app, client_as, make_employee, smtp_server
):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    smtp_server.fail_next(1)
    assert "1 to retry" in _run_send_job(app)
    [(_to, status, attempts)] = _outbox(app)
    assert (status, attempts) == ("queued", 1)
    with app.app_context():
        mail = db.session.scalar(select(OutboxMail))
        assert "451" in mail.last_error
        assert mail.next_attempt_at > utcnow() + timedelta(seconds=50)  # backoff, not at once
        assert send_due() == "0 e-mails sent"  # not due yet
    assert "1 e-mails sent" in _run_send_job(app, minutes_later=2)
    assert len(smtp_server.wait_for(1)) == 1
    assert _outbox(app) == [("aino@example.com", "sent", 2)]


def test_an_unreachable_server_is_retried_until_the_limit_then_failed(
    app, client_as, make_employee
):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    with app.app_context():
        from pojo.mail.sender import mailman

        app.config["MAIL_PORT"] = 1  # nothing listens there
        mailman.init_app(app)
        assert "1 to retry" in send_due()
        assert "1 failed" in send_due(utcnow() + timedelta(hours=1))
        assert send_due(utcnow() + timedelta(days=1)) == "0 e-mails sent"
    assert _outbox(app) == [("aino@example.com", "failed", 2)]


def test_an_address_refused_for_good_fails_at_once(app, client_as, make_employee, smtp_server):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    smtp_server.fail_next(1, "550 5.1.1 No such mailbox")
    assert "1 failed" in _run_send_job(app)
    assert _outbox(app) == [("aino@example.com", "failed", 1)]


def test_a_mail_left_sending_by_a_crash_is_never_sent_again_by_itself(
    app, client_as, make_employee, runner, smtp_server
):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    with app.app_context():
        claimed = outbox.claim_next(utcnow())  # the sender "crashes" after its claim
        assert claimed is not None
        assert send_due() == "0 e-mails sent"  # someone else's claim: left alone
        later = utcnow() + timedelta(minutes=15)
        assert "1 left sending by a stopped sender marked uncertain" in send_due(later)
        assert send_due(later + timedelta(hours=1)) == "0 e-mails sent"
    assert smtp_server.messages == []
    assert _outbox(app) == [("aino@example.com", "uncertain", 1)]
    status = runner.invoke(args=["mail", "status"])
    assert "uncertain: 1" in status.output and "may have gone out" in status.output
    # The operator checked the mail server's log and resends it on purpose.
    assert runner.invoke(args=["mail", "requeue", str(claimed.id)]).exit_code == 0
    with app.app_context():
        assert send_due() == "1 e-mails sent"
    assert len(smtp_server.wait_for(1)) == 1


def test_no_address_no_mail(app, client_as, make_employee, smtp_server):
    supervisor, agent = _team(app, client_as, make_employee, email=None)
    _award(supervisor, agent)
    assert _outbox(app) == []


def test_sent_mail_is_pruned_after_its_retention(app, client_as, make_employee, smtp_server):
    from pojo.jobs.retention import day_start

    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    _award(supervisor, agent, request_id="r2")
    with app.app_context():
        send_due()
        assert outbox.prune(day_start(utcnow()), 30) == 0
        assert outbox.prune(day_start(utcnow() + timedelta(days=32)), 30) == 2


def test_two_senders_at_once_send_each_mail_once(app, make_employee, smtp_server):
    from pojo.notifications.service import link_to, notify
    from pojo.people.service import find_employee

    agents = [make_employee(team="Alpha", email=f"agent{n}@example.com") for n in range(12)]
    with app.app_context(), unit_of_work():
        for username in agents:
            notify(
                find_employee(username).id,
                "award_received",
                link_to("ledger.wallet"),
                who="Sami",
                points=20,
                criterion_en="First-contact resolution",
                criterion_fi="Ensikontaktiratkaisu",
                note=NOTE,
            )
    smtp_server.delay = 0.02
    barrier = threading.Barrier(2)
    summaries = []

    def sender():
        with app.app_context():
            barrier.wait()
            summaries.append(send_due())

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    received = smtp_server.wait_for(len(agents))
    assert sorted(m["To"] for m in received) == sorted(f"agent{n}@example.com" for n in range(12))
    assert len({m["Message-ID"] for m in received}) == len(agents)
    assert sum(int(summary.split()[0]) for summary in summaries) == len(agents)
    assert {status for _to, status, _attempts in _outbox(app)} == {"sent"}


def test_without_mail_server_nothing_is_queued_and_the_award_still_works(
    app, client_as, make_employee, login, runner, smtp_server
):
    app.config["MAIL_SERVER"] = ""  # as config.py leaves it when MAIL_SERVER is not set
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    assert ">20<" in login(app.test_client(), agent).get("/wallet").get_data(as_text=True)
    assert _outbox(app) == []
    assert _run_send_job(app) == "no MAIL_SERVER set: e-mail is off"
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "e-mail is off" in result.output
    assert smtp_server.messages == []
    page = login(app.test_client(), agent).get("/settings").get_data(as_text=True)
    assert "This Pojo sends no e-mail yet" in page


def test_every_kind_a_category_names_is_a_notice_some_feature_words(app):
    from pojo.features import installed
    from pojo.mail.categories import OF_KIND

    assert set(OF_KIND) <= set(installed(app).notices)


def test_a_redemption_handed_over_reaches_the_mailbox(app, make_employee, smtp_server):
    from pojo.market import redemptions
    from pojo.people.service import find_employee
    from tests.market_helpers import add_reward, give_points

    agent = make_employee("aino", team="Alpha", email="aino@example.com")
    hr = make_employee("helena", role="hr", team="Office")
    give_points(app, agent, 500)
    reward_id = add_reward(app, name_en="Cinema tickets", name_fi="Elokuvaliput")
    with app.app_context(), unit_of_work():
        made = redemptions.redeem(find_employee(agent), reward_id, 10_000)
        redemptions.fulfil(find_employee(hr), made.id)
    _run_send_job(app)
    # The points came as an award, which told her too.
    subjects = sorted(m["Subject"] for m in smtp_server.wait_for(2))
    assert subjects == ["Pojo: news about your redemption", "Pojo: you were awarded points"]
    [mail] = [m for m in smtp_server.messages if "redemption" in m["Subject"]]
    assert "Your redemption is ready: Cinema tickets." in mail.get_content()


def test_an_import_waiting_for_approval_mails_the_approvers(
    app, client_as, make_employee, smtp_server
):
    from tests.test_outcomes import csv_file, preview_of, upload
    from tests.test_outcomes_trust import nps_rows

    make_employee("helena", role="hr", team="Office", email="helena@example.com")
    make_employee("hanna", role="hr", team="Office")  # no address: no e-mail
    agent = make_employee("aino", team="Alpha", email="aino@example.com")
    supervisor = client_as("supervisor", team="Alpha")
    url, _page = preview_of(supervisor, upload(supervisor, csv_file(*nps_rows(agent, 1))))
    assert supervisor.post(url + "/apply", data={}).status_code == 302
    _run_send_job(app)
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "helena@example.com"
    assert mail["Subject"] == "Pojo: something waits for your approval"
    assert "it waits for your approval" in mail.get_content()
    assert f"http://pojo.test{url}" in mail.get_content()


def test_a_notice_no_category_holds_stays_in_the_bell_only(app, make_employee):
    from pojo.notifications.service import notify
    from pojo.people.service import find_employee

    agent = make_employee("aino", team="Alpha", email="aino@example.com")
    with app.app_context(), unit_of_work():
        notify(find_employee(agent).id, "goal_affordable", None, price=100, reward_en="Cinema")
    assert _outbox(app) == []


def test_the_send_job_is_listed_and_runs_every_minute(app, runner):
    listed = runner.invoke(args=["jobs", "list"]).output
    assert "send_mail" in listed and "prune_mail_outbox" in listed
    assert _run_send_job(app) == "0 e-mails sent"
    assert _run_send_job(app) is None  # this minute's run is claimed already
    assert _run_send_job(app, minutes_later=1) == "0 e-mails sent"


def test_a_covered_swap_mails_the_requester_and_the_taker(app, make_employee, smtp_server):
    from tests.market_helpers import add_reward, give_points
    from tests.test_api import api_client
    from tests.test_swaps import SWAP, shift_for

    requester = make_employee("riikka", team="Alpha", email="riikka@example.com")
    taker = make_employee("tapio", team="Alpha", email="tapio@example.com", language="fi")
    give_points(app, requester, 1000)
    reward = add_reward(app, **SWAP)
    shift = shift_for(app, requester)
    made = api_client(app, requester).post(
        "/api/v1/redemptions", json={"reward": reward, "max_price": 1000, "shift": shift}
    )
    assert made.status_code == 201, made.get_json()
    swap = api_client(app, taker).get("/api/v1/swaps").get_json()[0]["id"]
    assert api_client(app, taker).post(f"/api/v1/swaps/{swap}/take").status_code == 200
    _run_send_job(app)
    smtp_server.wait_for(2)
    [covered] = [m for m in smtp_server.to("riikka@example.com") if "swap" in m["Subject"]]
    assert covered["Subject"] == "Pojo: news about a shift swap"
    assert "Tapio covers your shift Evening" in covered.get_content()
    assert "http://pojo.test/swaps" in covered.get_content()
    [cover] = smtp_server.to("tapio@example.com")
    assert cover["Subject"] == "Pojo: uutta vuoronvaihdosta"
    assert "Riikka" in cover.get_content()


def test_a_temps_contract_reminder_reaches_them_in_finnish(app, make_employee, smtp_server):
    from pojo.jobs.registry import run_job
    from pojo.rows import local_date

    with app.app_context():
        end = local_date(utcnow()) + timedelta(days=14)
    make_employee("tiina", temp=True, contract_end=end, language="fi", email="tiina@example.com")
    with app.app_context():
        assert run_job("contract_reminders") == "1 contract reminders sent"
    _run_send_job(app)
    [mail] = smtp_server.wait_for(1)
    assert mail["Subject"] == "Pojo: sopimuksesi on päättymässä"
    assert f"Sopimuksesi päättyy {end.day}.{end.month}.{end.year}" in mail.get_content()


def test_a_notice_its_e_mail_cannot_word_still_leaves_the_notice(app, make_employee):
    from pojo.notifications.models import Notification
    from pojo.notifications.service import notify
    from pojo.people.service import find_employee

    agent = make_employee("aino", team="Alpha", email="aino@example.com")
    with app.app_context(), unit_of_work():
        # "points" missing: the text cannot be written, but the notice stands.
        notify(find_employee(agent).id, "award_received", None, who="Sami")
    assert _outbox(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_flask_mail_test_checks_the_smtp_settings(app, runner, smtp_server):
    sent = runner.invoke(args=["mail", "test", "ops@example.com"])
    assert sent.exit_code == 0, sent.output
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "ops@example.com" and mail["Subject"] == "Pojo: a test e-mail"
    app.config["MAIL_PORT"] = 1  # nothing listens there
    with app.app_context():
        from pojo.mail.sender import mailman

        mailman.init_app(app)
    refused = runner.invoke(args=["mail", "test", "ops@example.com"])
    assert refused.exit_code == 1 and "not sent: ConnectionRefusedError" in refused.output
    app.config["MAIL_SERVER"] = ""
    off = runner.invoke(args=["mail", "test", "ops@example.com"])
    assert off.exit_code == 1 and "E-mail is off" in off.output


@pytest.mark.slow
def test_the_demos_made_up_history_queues_no_mail(app, runner):
    result = runner.invoke(args=["demo", "--months", "1"])
    assert result.exit_code == 0, result.output
    assert _outbox(app) == []


def test_a_connection_lost_after_the_server_took_the_mail_never_sends_it_twice(
    app, client_as, make_employee, smtp_server
):
    supervisor, agent = _team(app, client_as, make_employee)
    _award(supervisor, agent)
    smtp_server.drop_after_taking(1)
    assert "1 uncertain" in _run_send_job(app)
    assert _outbox(app) == [("aino@example.com", "uncertain", 1)]
    _run_send_job(app, minutes_later=30)
    assert len(smtp_server.wait_for(1)) == 1  # it did arrive, once
    with app.app_context():
        assert "May have gone out" in db.session.scalar(select(OutboxMail.last_error))
