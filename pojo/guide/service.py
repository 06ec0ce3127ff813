"""Who is shown the first-login tour."""

from sqlalchemy import update

from pojo.database import utcnow
from pojo.extensions import db
from pojo.people.models import Employee


def mark_tour_shown(employee: Employee) -> bool:
    """Mark the tour as shown to `employee`; True only the first time.

    One conditional update, so two first logins at once show it once.
    """
    if employee.tour_seen_at is not None:
        return False
    now = utcnow()
    marked = db.session.execute(
        update(Employee)
        .where(Employee.id == employee.id, Employee.tour_seen_at.is_(None))
        .values(tour_seen_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if marked:
        employee.tour_seen_at = now
    return bool(marked)
