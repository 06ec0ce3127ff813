"""Temps' contracts: the reminders before the end, the end itself, and HR's extensions.

Both jobs are safe to run any number of times: each reminder and each end
is a `ContractEvent` row, unique per temp, contract end date and kind, and
an ended temp is no longer active. Dates are the site's (`local_date`).
"""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from pojo.audit import service as audit
from pojo.bounds import CONTRACT_EXTENSION_DAYS
from pojo.database import upsert, utcnow
from pojo.errors import DomainError, InvalidInput
from pojo.extensions import db
from pojo.formatting import format_date
from pojo.ledger import service as ledger
from pojo.notifications.service import link_to, notify
from pojo.people.changes import audit_subject
from pojo.people.models import ContractEvent, Employee
from pojo.people.policy import MANAGE_ACCESS, MANAGE_CONTRACTS
from pojo.people.service import deactivate, get_employee
from pojo.people.settings import get_setting
from pojo.policy import require
from pojo.rows import local_date, lock_row

REMINDER_DAYS = (14, 3)
LISTED_DAYS = 30


class Contract(NamedTuple):
    """A row of HR's contracts page."""

    employee: Employee
    balance: int
    days_left: int
    ended: ContractEvent | None


def _temps_ending(first: date, last: date):
    return (
        select(Employee)
        .where(
            Employee.employment_type == "temp",
            Employee.contract_end.is_not(None),
            Employee.contract_end.between(first, last),
        )
        .order_by(Employee.contract_end, Employee.display_name, Employee.id)
    )


def _record(employee: Employee, kind: str, **values) -> bool:
    """Record this event for the employee's current end date; False when it was already there."""
    statement = upsert(db.session.get_bind(), ContractEvent).values(
        employee_id=employee.id,
        contract_end=employee.contract_end,
        kind=kind,
        at=utcnow(),
        **values,
    )
    statement = statement.on_conflict_do_nothing(
        index_elements=["employee_id", "contract_end", "kind"]
    )
    return bool(db.session.execute(statement.returning(ContractEvent.id)).all())


def send_reminders(now: datetime) -> int:
    """Tell each active temp 14 and 3 days before their contract ends, once each.

    A temp first seen with 3 days or fewer left gets only the 3-day reminder.
    """
    today = local_date(now)
    temps = db.session.scalars(
        _temps_ending(today, today + timedelta(days=max(REMINDER_DAYS))).where(
            Employee.active.is_(True)
        )
    ).all()
    sent = 0
    balances = ledger.balances_of([temp.id for temp in temps])
    for temp in temps:
        days_left = (temp.contract_end - today).days
        due = min(days for days in REMINDER_DAYS if days >= days_left)
        if _record(temp, f"reminder_{due}"):
            notify(
                temp.id,
                "contract_ending",
                link_to("ledger.wallet"),
                end=temp.contract_end.isoformat(),
                days=days_left,
                points=balances.get(temp.id, 0),
            )
            sent += 1
    return sent


def _expiry_note(temp: Employee) -> str:
    with force_locale(current_app.config["DEFAULT_LANGUAGE"]):
        return _(
            "Contract ended on %(date)s; unspent points expire (HR's setting).",
            date=format_date(temp.contract_end),
        )


def end_contracts(now: datetime) -> int:
    """Deactivate each active temp whose contract ended before today; handle their points.

    HR's `unspent_points` setting decides: `keep` leaves the balance (frozen
    while inactive, usable again on re-hire), `expire` debits it with an
    `expiry` entry whose note gives the reason.
    """
    today = local_date(now)
    ended = db.session.scalars(
        _temps_ending(date.min, today - timedelta(days=1)).where(Employee.active.is_(True))
    ).all()
    handled = 0
    for candidate in ended:
        temp = lock_row(Employee, candidate.id)
        if not temp.active or temp.contract_end is None or temp.contract_end >= today:
            continue
        rule = get_setting("unspent_points")
        if not _record(temp, "ended", outcome=rule, points=0):
            # Ended once already and reactivated by HR since, end date unchanged: theirs to say.
            continue
        # First, so what deactivation hands back (an open swap's refund) is in the balance.
        deactivate(temp)
        balance = ledger.balance_of(temp.id)
        expired = balance if rule == "expire" else 0
        audit.record(
            None,
            "contract.ended",
            audit_subject(temp),
            {"active": True, "contract_end": temp.contract_end, "balance": balance},
            {
                "active": False,
                "contract_end": temp.contract_end,
                "unspent_points": rule,
                "balance": balance - expired,
            },
        )
        db.session.execute(
            update(ContractEvent)
            .where(
                ContractEvent.employee_id == temp.id,
                ContractEvent.contract_end == temp.contract_end,
                ContractEvent.kind == "ended",
            )
            .values(points=balance)
        )
        if rule == "expire" and balance > 0:
            ledger.post_entry(
                temp.id, -balance, "expiry", actor=None, note=_expiry_note(temp),
                reference=f"contract:{temp.id}",
            )  # fmt: skip
        handled += 1
    return handled


def contracts_ending(actor: Employee, now: datetime | None = None) -> list[Contract]:
    """Temps whose contracts end in the next 30 days or ended in the last 30, with balances."""
    require(actor, MANAGE_CONTRACTS)
    today = local_date(now or utcnow())
    temps = db.session.scalars(
        _temps_ending(today - timedelta(days=LISTED_DAYS), today + timedelta(days=LISTED_DAYS))
    ).all()
    balances = ledger.balances_of([temp.id for temp in temps])
    events = {
        (event.employee_id, event.contract_end): event
        for event in db.session.scalars(
            select(ContractEvent).where(
                ContractEvent.employee_id.in_([temp.id for temp in temps]),
                ContractEvent.kind == "ended",
            )
        )
    }
    return [
        Contract(
            temp,
            balances.get(temp.id, 0),
            (temp.contract_end - today).days,
            events.get((temp.id, temp.contract_end)),
        )
        for temp in temps
        if temp.active or (temp.id, temp.contract_end) in events
    ]


def extend_contract(actor: Employee, username: str, new_end: date, now: datetime | None = None):
    """Move a temp's contract end to `new_end`; True when it changed.

    Before the end this cancels the coming deactivation (and the reminders
    come again for the new date). A temp the `contract_end` job deactivated is
    active again: kept points are theirs to use; expired points stay expired.
    """
    require(actor, MANAGE_CONTRACTS)
    employee = get_employee(username)
    if not employee.is_temp:
        raise DomainError(_("Only a temp's contract can be extended."))
    today = local_date(now or utcnow())
    last = today + timedelta(days=CONTRACT_EXTENSION_DAYS.maximum)
    if not today <= new_end <= last:
        raise InvalidInput(
            _(
                "Choose a date from %(first)s to %(last)s.",
                first=today.isoformat(),
                last=last.isoformat(),
            ),
            field="contract_end",
        )
    employee = lock_row(Employee, employee.id)
    if new_end == employee.contract_end:
        return False
    ended_by_job = not employee.active and db.session.scalar(
        select(ContractEvent.id).where(
            ContractEvent.employee_id == employee.id,
            ContractEvent.contract_end == employee.contract_end,
            ContractEvent.kind == "ended",
        )
    )
    before = audit.snapshot(employee, ("contract_end", "active"))
    if ended_by_job:
        require(actor, MANAGE_ACCESS, employee)
        employee.active = True
    employee.contract_end = new_end
    db.session.flush()
    audit.record(
        actor,
        "contract.extended",
        audit_subject(employee),
        before,
        audit.snapshot(employee, ("contract_end", "active")),
    )
    return True
