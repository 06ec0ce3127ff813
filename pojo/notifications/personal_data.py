"""The notifications' part of an employee's personal data download: their notices, worded."""

from sqlalchemy import select

from pojo import bounds
from pojo.extensions import db
from pojo.notifications.models import Notification
from pojo.notifications.service import render_message
from pojo.people.models import Employee


def notifications(employee: Employee) -> list[dict]:
    """Each notification they got, in their language, newest first."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.employee_id == employee.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
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
