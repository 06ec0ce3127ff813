"""The outbox: e-mails queued with their notice, claimed by one sender, sent at most once.

A row is written in the transaction that leaves the notice (`queue_notices`, the
`notices_left` receiver), so a rolled-back award queues nothing. A sender claims a due
row by marking it `sending` and COMMITTING before it talks to SMTP (`claim_next`:
PostgreSQL skips rows another sender holds, `FOR UPDATE SKIP LOCKED`; SQLite has one
writer at a time), then records `sent`, or a retry with backoff, or `failed`. A row a
sender left in `sending` (it crashed or lost the database between SMTP and its record),
or whose connection broke off before the server answered, may have gone out: it becomes
`uncertain` and is never sent again by itself, since a notice sent twice is worse than
one an operator resends (`flask mail requeue ID`).
"""

import logging
import smtplib
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, exists, func, insert, select, update

from pojo.database import utcnow
from pojo.extensions import db
from pojo.mail.categories import OF_KIND
from pojo.mail.models import MailOptOut, OutboxMail
from pojo.mail.wording import compose
from pojo.people.models import Employee
from pojo.unit_of_work import delete_in_batches, unit_of_work

# A notice about something this long past (demo data, a backdated import) is history, not news.
NEWS_WINDOW = timedelta(days=1)
# A row `sending` for this long (or 4 x MAIL_TIMEOUT if longer) belongs to a sender that
# stopped: SMTP answers within MAIL_TIMEOUT (30 s by default), so a live sender has long
# recorded it.
STALE_SENDING = timedelta(minutes=10)
ERROR_LENGTH = 500

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether this server sends e-mail at all: only with MAIL_SERVER set."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _addressable(email: str | None) -> bool:
    return bool(email) and "@" in email and not any(c in email for c in "\r\n\0")


def queue_notices(_app, *, kind: str, recipients: list, link, at: datetime | None) -> int:
    """Queue the e-mail of a notice just left for each recipient who wants it; how many.

    Nothing without MAIL_SERVER, for a kind no category holds, for a backdated notice,
    or for someone without an e-mail address, inactive, or who turned the category off.
    """
    category = OF_KIND.get(kind)
    if not enabled() or category is None:
        return 0
    now = utcnow()
    if at is not None and at < now - NEWS_WINDOW:
        return 0
    opted_out = exists().where(
        MailOptOut.employee_id == Employee.id, MailOptOut.category == category.name
    )
    people = {
        row.id: row
        for row in db.session.execute(
            select(Employee.id, Employee.email, Employee.language).where(
                Employee.id.in_({employee_id for employee_id, _params in recipients}),
                Employee.active.is_(True),
                Employee.email.is_not(None),
                ~opted_out,
            )
        )
        if _addressable(row.email)
    }
    rows = []
    for employee_id, params in recipients:
        person = people.get(employee_id)
        if person is None:
            continue
        language = person.language or current_app.config["DEFAULT_LANGUAGE"]
        try:
            subject, body = compose(kind, params, link, language, category)
        except Exception:  # noqa: BLE001 - the e-mail is lost, never the award behind it
            log.exception("the e-mail of a %s notice could not be worded; not queued", kind)
            continue
        rows.append(
            {
                "employee_id": employee_id,
                "kind": kind,
                "category": category.name,
                "recipient": person.email.strip(),
                "subject": subject,
                "body": body,
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    if rows:
        db.session.execute(insert(OutboxMail), rows)
    return len(rows)


def _stale_after() -> timedelta:
    # One e-mail takes a few SMTP round trips, each up to MAIL_TIMEOUT.
    return max(STALE_SENDING, timedelta(seconds=4 * current_app.config["MAIL_TIMEOUT"]))


def give_up_on_stale(now: datetime) -> int:
    """Mark rows a stopped sender left `sending` as `uncertain` (never sent again by itself)."""
    with unit_of_work():
        return db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.status == "sending", OutboxMail.claimed_at < now - _stale_after())
            .values(
                status="uncertain",
                last_error="The sender stopped while sending it: it may have gone out. "
                "Not sent again; check the mail server's log, then `flask mail requeue`.",
            )
        ).rowcount


class Claimed(NamedTuple):
    """A claimed e-mail as plain values: reading them after the commit touches no database."""

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime


def claim_next(now: datetime) -> Claimed | None:
    """Claim the oldest due queued e-mail for this sender and COMMIT the claim; None if none.

    Between this commit and the attempt's record the sender holds no transaction (on SQLite
    no write lock) while it talks to SMTP.
    """
    with unit_of_work():
        due = (
            select(OutboxMail)
            .where(OutboxMail.status == "queued", OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        mail = db.session.scalars(due).first()
        if mail is None:
            return None
        claimed = db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail.id, OutboxMail.status == "queued")
            # The real time, not the run's: a long run's late claims are not stale.
            .values(status="sending", claimed_at=utcnow(), attempts=OutboxMail.attempts + 1)
        ).rowcount
        if claimed != 1:
            return None
        found = Claimed(mail.id, mail.recipient, mail.subject, mail.body, mail.created_at)
    return found


def mark_sent(mail_id: int) -> None:
    """The SMTP server took the e-mail: sent (even if it was thought uncertain meanwhile)."""
    with unit_of_work():
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.status.in_(("sending", "uncertain")))
            .values(status="sent", sent_at=utcnow(), last_error=None)
        )


def permanent(error: Exception) -> bool:
    """An error of this e-mail that trying again cannot mend: the server refused its address
    or its content for good (5xx). A refused login or sender, or a server out of reach, is
    the server's or the settings' and is tried again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)  # a header or address the message cannot carry


def refused(error: Exception) -> bool:
    """The server answered that it did not take the e-mail (or it could not be written), so it
    was not delivered: safe to try again. Anything else while sending (a dropped connection,
    a timeout) may have come after the server took it."""
    return isinstance(
        error, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException, ValueError)
    )


def mark_uncertain(mail_id: int, error: Exception) -> None:
    """The sending broke off where the server may have taken the e-mail: never sent again by
    itself (`flask mail requeue` after checking the server's log)."""
    with unit_of_work():
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.status == "sending")
            .values(
                status="uncertain",
                last_error=f"May have gone out: {type(error).__name__}: {error}"[:ERROR_LENGTH],
            )
        )


def mark_failure(mail_id: int, error: Exception, now: datetime) -> str:
    """Record a failed attempt: queued again after a backoff, or `failed`; the new status."""
    config = current_app.config
    with unit_of_work():
        mail = db.session.get(OutboxMail, mail_id)
        mail.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        if permanent(error) or mail.attempts >= config["MAIL_MAX_ATTEMPTS"]:
            mail.status = "failed"
        else:
            mail.status = "queued"
            wait = config["MAIL_RETRY_SECONDS"] * 2 ** (mail.attempts - 1)
            mail.next_attempt_at = now + timedelta(seconds=wait)
        return mail.status


def requeue(mail_id: int) -> OutboxMail | None:
    """An operator's resend of a failed or uncertain e-mail: queued now, attempts anew."""
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.status not in ("failed", "uncertain"):
        return None
    mail.status, mail.attempts, mail.next_attempt_at = "queued", 0, utcnow()
    db.session.flush()
    return mail


def counts() -> dict[str, int]:
    """How many e-mails the outbox holds in each status."""
    rows = db.session.execute(
        select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
    ).all()
    return dict(rows)


def troubled(limit: int = 50) -> list[OutboxMail]:
    """The newest failed and uncertain e-mails, for `flask mail status`."""
    return list(
        db.session.scalars(
            select(OutboxMail)
            .where(OutboxMail.status.in_(("failed", "uncertain")))
            .order_by(OutboxMail.id.desc())
            .limit(limit)
        )
    )


def prune(day_start: datetime, days: int) -> int:
    """Delete e-mails sent, failed or uncertain more than `days` before `day_start`.

    Queued and sending ones stay: they are not done yet.
    """
    return delete_in_batches(
        OutboxMail,
        and_(
            OutboxMail.status.in_(("sent", "failed", "uncertain")),
            OutboxMail.created_at < day_start - timedelta(days=days),
        ),
    )
