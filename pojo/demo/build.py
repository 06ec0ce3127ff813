"""Fill an empty database with a living contact centre and a year of its history."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from pojo.awards.models import Criterion
from pojo.database import utcnow
from pojo.demo import history
from pojo.demo.catalogue import list_rewards
from pojo.demo.people import DEMO_PASSWORD, Staff, create_staff
from pojo.demo.roster import plan_roster, put_up_swaps
from pojo.extensions import db
from pojo.insights.payroll import COMPANY_SETTING
from pojo.notifications.models import Notification
from pojo.people.models import Employee
from pojo.people.service import hash_password
from pojo.people.settings import set_setting
from pojo.rows import site_zone

# Notifications older than this were read long ago; newer ones wait behind the bell.
READ_AFTER = timedelta(days=10)


@dataclass(frozen=True)
class Demo:
    staff: Staff
    tally: history.Tally
    days: int


def has_employees() -> bool:
    """The demo's test for an empty database: nobody works here yet."""
    return db.session.scalar(select(Employee.id).limit(1)) is not None


def build(seed: int, months: int) -> Demo:
    """Create the people, the catalogue and `months` of history; the caller commits."""
    rng = random.Random(seed)
    zone = site_zone()
    now = utcnow()
    days = round(months * 30.5)
    first_day = (now - timedelta(days=days)).astimezone(zone).date()
    start = datetime.combine(first_day, time(8), zone)
    staff = create_staff(rng, hash_password(DEMO_PASSWORD), start, now, now.astimezone(zone).date())
    catalogue = list_rewards(staff.hr, start)
    # The employer of record of the permanent staff, in the payroll export.
    set_setting(staff.hr, COMPANY_SETTING, "Pojo Asiakaspalvelu Oy")
    points = {
        code: pts for code, pts in db.session.execute(select(Criterion.code, Criterion.points))
    }
    sim = history.Simulation(staff, catalogue, rng, zone, start, now, points)
    tally = history.run(sim)
    active = [agent for agent in staff.agents if agent.employee.active and agent.team_id]
    plan_roster(active, zone, now.astimezone(zone).date(), seed)
    put_up_swaps(active, now)
    old = select(Notification).where(Notification.created_at < now - READ_AFTER)
    for notification in db.session.scalars(old):
        notification.read_at = notification.created_at + timedelta(days=1)
    return Demo(staff, tally, days)
