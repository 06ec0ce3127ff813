"""The notifications' part of an employee's personal data download: their notices, worded."""

from pojo.notifications.models import Notification
from pojo.notifications.service import render_message
from pojo.people.models import Employee
from pojo.rows import newest_rows


def notifications(employee: Employee) -> list[dict]:
    """Each notification they got, in their language, newest first."""
    rows = newest_rows(
        Notification, Notification.employee_id == employee.id, Notification.created_at
    )
    return [
        {
            "kind": row.kind,
            "text": render_message(row, employee.language),
            "created_at": row.created_at,
            "read_at": row.read_at,
        }
        for row in rows
    ]


PARTS = {"notifications": notifications}
