"""Clear-cut histories for the segment tests: each person behaves one way for 400 days."""

from datetime import datetime, timedelta

from pojo.awards.models import Criterion
from pojo.awards.service import award
from sqlalchemy import select

from pojo.extensions import db
from pojo.ledger.service import balance_of
from pojo.market.demand import price_now
from pojo.market import catalogue, redemptions
from pojo.people.service import create_employee, find_employee
from pojo.unit_of_work import unit_of_work

PRICES = {"cheap": 100, "mid": 300, "dear": 1000}


def _events(end: datetime) -> list[tuple[datetime, str, str, int]]:
    """(at, username, "award" | "cancel" | a reward's name with "!" or "?", points), in order."""
    day = lambda n: end - timedelta(days=n)  # noqa: E731
    hour = timedelta(hours=1)
    events = []
    # Impulse: earns 100 every 30 days and spends it on the cheapest reward an hour later.
    for n in range(390, 0, -30):
        events.append((day(n), "impulse", "cheap!", 0))
    # Saver: 100 every 15 days, the dearest reward as soon as it is affordable (twice a year).
    for n in range(400, 0, -15):
        events += [(day(n), "saver", "award", 100), (day(n) + hour, "saver", "dear?", 0)]
    # Balanced: 50 every 10 days, the middle reward every 60 days, about 20 days after it sufficed.
    for n in range(400, 0, -10):
        events.append((day(n), "balanced", "award", 50))
    for n in range(330, 0, -60):
        events.append((day(n) + hour, "balanced", "mid", 0))
    # One more, cancelled and refunded by HR: it does not count.
    events += [(day(25) + hour, "balanced", "cheap", 0), (day(24), "balanced", "cancel", 0)]
    # Dormant: keeps earning, redeemed once 300 days ago.
    for n in range(390, 0, -30):
        events.append((day(n), "dormant", "award", 100))
    events.append((day(301), "dormant", "cheap", 0))
    # New: joined 30 days ago.
    events += [(day(30), "newcomer", "award", 100), (day(29), "newcomer", "cheap!", 0)]
    return sorted(events, key=lambda event: event[0])


def build_histories(app, end: datetime) -> dict[str, int]:
    """Create the five people, the three fixed-price rewards and their histories up to `end`."""
    with app.app_context(), unit_of_work():
        hr = find_employee("test.giver") or create_employee(
            "test.giver", role="hr", team_name="Office", password=None
        )
        start = end - timedelta(days=420)
        rewards = {
            name: catalogue.create_reward(
                None,
                at=start,
                name_en=name.title(),
                name_fi=name.title(),
                base_price=price,
            )
            for name, price in PRICES.items()
        }
        people = {
            name: create_employee(name, role="agent", team_name="Alpha", password=None)
            for name in ("impulse", "saver", "balanced", "dormant", "newcomer")
        }
        last = {}
        for at, name, what, points in _events(end):
            person = people[name]
            if what == "award":
                award(hr, name, _criterion(points), "history", at=at)
            elif what == "cancel":
                redemptions.cancel(hr, last[name].id, "out of stock", at=at)
            else:
                reward = rewards[what.rstrip("?!")]
                # "!": earns exactly what is missing and redeems an hour later; "?": if affordable.
                when = at + timedelta(hours=1) if what.endswith("!") else at
                price = price_now(reward, when)
                short = price - balance_of(person.id)
                if what.endswith("!") and short > 0:
                    award(hr, name, _criterion(short), "history", at=at)
                elif short > 0:
                    continue
                last[name] = redemptions.redeem(person, reward.id, price, at=when)
        return {name: person.id for name, person in people.items()}


def _criterion(points: int) -> str:
    code = f"test-{points}"
    if db.session.scalar(select(Criterion).where(Criterion.code == code)) is None:
        db.session.add(Criterion(code=code, tier="good", points=points, name_en="T", name_fi="T"))
        db.session.flush()
    return code
