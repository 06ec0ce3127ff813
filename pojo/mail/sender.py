"""Send what the outbox holds over SMTP, with Flask-Mailman: the job and `flask mail send`."""

import logging
from datetime import datetime

from flask import current_app
from flask_mailman import EmailMessage, Mail

from pojo.database import utcnow
from pojo.mail import outbox

# Bound to the app by the mail feature's setup; reads the MAIL_ settings of config.py.
mailman = Mail()
# At most this many e-mails a run: a backlog drains over a few minutes, never one long run.
BATCH = 200

log = logging.getLogger(__name__)


def _domain(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    return address.rpartition("@")[2] or "localhost"


def _message(mail: outbox.Claimed, connection) -> EmailMessage:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=sender,
        to=[mail.recipient],
        connection=connection,
        headers={
            # The same e-mail always has the same id: a resend an operator asks for is known
            # as one by mail systems that drop duplicates.
            "Message-ID": f"<pojo-mail-{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{_domain(sender)}>",
            # RFC 3834: no out-of-office replies to a notice.
            "Auto-Submitted": "auto-generated",
        },
    )


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a connection already broken closes as well as it can
        log.warning("closing the SMTP connection failed", exc_info=True)


def send_due(now: datetime | None = None, limit: int = BATCH) -> str:
    """Send the e-mails due by `now`, each at most once; a one-line summary.

    Each is claimed and committed first (`outbox.claim_next`), then handed to SMTP, then
    recorded. A failure to reach the server ends the run (the rest wait for the next one);
    an address refused for good fails that e-mail alone; a connection that broke off while
    sending leaves the e-mail `uncertain` (the server may have taken it) and ends the run.
    """
    if not outbox.enabled():
        return "no MAIL_SERVER set: e-mail is off"
    now = now or utcnow()
    stale = outbox.give_up_on_stale(now)
    sent = retried = failed = uncertain = 0
    connection = mailman.get_connection()
    try:
        for _ in range(limit):
            mail = outbox.claim_next(now)
            if mail is None:
                break
            try:
                connection.open()  # once for the run: a no-op while the connection is open
            except Exception as error:  # noqa: BLE001 - unreachable: nothing was sent
                log.warning("SMTP server not reached for e-mail %s: %s", mail.id, error)
                status = outbox.mark_failure(mail.id, error, now)
                failed += status == "failed"
                retried += status == "queued"
                break
            try:
                connection.send_messages([_message(mail, connection)])
            except Exception as error:  # noqa: BLE001 - every failure is recorded on the row
                _close(connection)
                if not outbox.refused(error):
                    log.warning("e-mail %s may have gone out: %s", mail.id, error)
                    outbox.mark_uncertain(mail.id, error)
                    uncertain += 1
                    break
                log.warning("e-mail %s not sent: %s", mail.id, error)
                status = outbox.mark_failure(mail.id, error, now)
                failed += status == "failed"
                retried += status == "queued"
                if not outbox.permanent(error):
                    break
            else:
                outbox.mark_sent(mail.id)
                sent += 1
    finally:
        _close(connection)
    parts = [f"{sent} e-mails sent"]
    if retried:
        parts.append(f"{retried} to retry")
    if failed:
        parts.append(f"{failed} failed")
    if uncertain:
        parts.append(f"{uncertain} uncertain (the connection broke off: not sent again)")
    if stale:
        parts.append(f"{stale} left sending by a stopped sender marked uncertain")
    return ", ".join(parts)


def send_test(address: str) -> None:
    """Send one e-mail to `address` now, past the outbox: checks the SMTP settings.

    Raises what the SMTP server or the connection raised.
    """
    config = current_app.config
    connection = mailman.get_connection()
    try:
        EmailMessage(
            subject="Pojo: a test e-mail",
            body=(
                "This e-mail tests Pojo's SMTP settings "
                f"({config['MAIL_SERVER']}:{config['MAIL_PORT']}). Nothing else is needed.\n"
            ),
            from_email=config["MAIL_DEFAULT_SENDER"],
            to=[address],
            connection=connection,
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
    finally:
        _close(connection)
