"""The mail feature's part of an employee's personal data download: their choice, their e-mails."""

from pojo.mail.models import OutboxMail
from pojo.mail.preferences import chosen
from pojo.people.models import Employee
from pojo.rows import newest_rows


def mail_preferences(employee: Employee) -> dict[str, bool]:
    """Each category of notice -> whether it reaches them by e-mail."""
    return chosen(employee.id)


def mail_sent(employee: Employee) -> list[dict]:
    """The e-mails the outbox still holds for them, newest first."""
    rows = newest_rows(OutboxMail, OutboxMail.employee_id == employee.id, OutboxMail.created_at)
    return [
        {
            "category": row.category,
            "to": row.recipient,
            "subject": row.subject,
            "body": row.body,
            "status": row.status,
            "created_at": row.created_at,
            "sent_at": row.sent_at,
        }
        for row in rows
    ]


PARTS = {"mail_preferences": mail_preferences, "mail_outbox": mail_sent}
