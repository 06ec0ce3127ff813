"""Shared set-up for the market tests: rewards and points without going through pages."""

import uuid
from datetime import datetime

from sqlalchemy import delete

from pojo.awards.models import Criterion
from pojo.awards.service import award
from pojo.extensions import db
from pojo.market import catalogue
from pojo.notifications.models import Notification
from pojo.people.service import create_employee, find_employee
from pojo.unit_of_work import unit_of_work

GIVER = "test.giver"  # the HR person behind test points

# A test reward (not the README's example): 180 at no demand, 300 at 4 a month, 600 at 8.
MASSAGE = {
    "name_en": "Massage",
    "name_fi": "Hieronta",
    "category": "wellbeing",
    "base_price": 300,
    "floor_price": 180,
    "ceiling_price": 600,
    "expected_per_30d": 4,
}


def add_reward(app, **fields) -> int:
    """Create a reward as the system and return its id."""
    with app.app_context(), unit_of_work():
        return catalogue.create_reward(None, **{**MASSAGE, **fields}).id


def give_points(app, username: str, points: int, at: datetime | None = None) -> int:
    """Credit points through a real award by HR (a one-off criterion worth `points`).

    Returns the ledger entry's id. The award's own notice to the recipient is
    dropped: tests of the exchange count the exchange's notices.
    """
    with app.app_context(), unit_of_work():
        criterion = Criterion(
            code=f"test-{uuid.uuid4().hex[:8]}",
            tier="good",
            points=points,
            name_en="Test points",
            name_fi="Testipisteet",
        )
        db.session.add(criterion)
        db.session.flush()
        hr = find_employee(GIVER) or create_employee(
            GIVER, role="hr", team_name="Office", password=None
        )
        made = award(hr, username, criterion.code, "test points", at=at)
        db.session.execute(
            delete(Notification).where(
                Notification.employee_id == made.employee_id, Notification.kind == "award_received"
            )
        )
        return made.entry_id
