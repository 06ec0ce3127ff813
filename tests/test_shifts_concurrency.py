"""Two planners adding overlapping shifts for one person at the same moment: one wins."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from pojo.errors import DomainError
from pojo.extensions import db
from pojo.people.service import get_employee
from pojo.shifts import service
from pojo.shifts.models import Shift
from pojo.unit_of_work import unit_of_work

CLIENTS = 6
START = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)


def test_overlapping_shifts_added_at_once_exactly_one_is_kept(app, make_employee):
    planner, agent = make_employee(role="hr", team=None), make_employee()
    barrier = threading.Barrier(CLIENTS)
    outcomes = [None] * CLIENTS

    def client(index):
        with app.app_context():
            actor, employee = get_employee(planner), get_employee(agent)
            db.session.rollback()
            barrier.wait()
            try:
                with unit_of_work():
                    starts = START + timedelta(minutes=10 * index)
                    service.create_shift(actor, employee, starts, starts + timedelta(hours=8))
                outcomes[index] = "created"
            except DomainError as error:
                outcomes[index] = error.code

    threads = [threading.Thread(target=client, args=(index,)) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["created"] + ["invalid"] * (CLIENTS - 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Shift)) == 1
