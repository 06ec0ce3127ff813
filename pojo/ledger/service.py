"""Ledger operations: the only code that moves points.

Every movement appends an entry and updates the stored balance in the same
transaction, under a row lock on the balance, so the balance always equals
the sum of entries and can never go negative, whatever runs concurrently.
"""

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import Conflict, DomainError, InsufficientPoints, NotFound
from pojo.extensions import db
from pojo.formatting import format_points
from pojo.ledger.models import Balance, LedgerEntry
from pojo.ledger.policy import REVERSE_ENTRIES
from pojo.pagination import KeyPage, Pagination, page_before, paginate
from pojo.people.models import Employee
from pojo.policy import require
from pojo.signals import points_credited

REVERSIBLE_KINDS = ("award", "outcome")


def _announce_credit(employee_ids: Collection[int], at: datetime) -> None:
    """Tell the features above the ledger (the market's goals) that these balances grew."""
    if employee_ids:
        points_credited.send(current_app._get_current_object(), employee_ids=employee_ids, at=at)


def open_account(employee_id: int) -> Balance:
    """Give a new employee their balance row at zero (people call this when they admit someone)."""
    balance = Balance(employee_id=employee_id, points=0)
    db.session.add(balance)
    db.session.flush()
    return balance


def _locked_balances(employee_ids: list[int]):
    """The balance rows of these employees, write-locked in employee order and read afresh."""
    return db.session.scalars(
        select(Balance)
        .where(Balance.employee_id.in_(employee_ids))
        .order_by(Balance.employee_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def lock_balance(employee_id: int) -> Balance:
    """Load the balance row with a write lock, creating it on first use."""
    # Not pojo.rows.lock_row: a balance is keyed by its employee, and may not exist yet.
    balance = _locked_balances([employee_id]).one_or_none()
    return balance if balance is not None else open_account(employee_id)


def balance_of(employee_id: int) -> int:
    """An employee's current balance in points (O(1): the stored sum).

    Through the session's identity map: a page that shows the balance in two
    places (the wallet and its goal panel) reads it once, and a balance this
    transaction moved (post_entry) is read as moved. The identity map holds
    rows weakly, so the session keeps the ones read here until it ends.
    """
    balance = db.session.get(Balance, employee_id)
    if balance is not None:
        db.session.info.setdefault("pojo_balances", {})[employee_id] = balance
    return balance.points if balance else 0


def balances_of(employee_ids: list[int]) -> dict[int, int]:
    """The stored balances of these employees; one without a balance row is absent."""
    if not employee_ids:
        return {}
    rows = db.session.execute(
        select(Balance.employee_id, Balance.points).where(Balance.employee_id.in_(employee_ids))
    )
    return dict(rows.all())


def post_entry(
    employee_id: int,
    points: int,
    kind: str,
    *,
    actor: Employee | None,
    note: str | None = None,
    reference: str | None = None,
    at: datetime | None = None,
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append one entry and move the balance with it; refuse to go below zero.

    `at` dates the movement when it is not now (demo data and history
    imports); `created_at` always records when it was written. A credit
    sends `pojo.signals.points_credited`, so a goal it makes affordable is noticed in the same transaction.
    """
    if points == 0:
        raise ValueError("a ledger entry moves at least one point")
    balance = lock_balance(employee_id)
    if balance.points + points < 0:
        raise InsufficientPoints(
            _(
                "Not enough points: the balance is %(balance)s, %(needed)s needed.",
                balance=format_points(balance.points),
                needed=format_points(-points),
            ),
            balance=balance.points,
        )
    now = utcnow()
    entry = LedgerEntry(
        employee_id=employee_id,
        points=points,
        kind=kind,
        at=at or now,
        created_at=now,
        actor_id=actor.id if actor else None,
        note=note,
        reference=reference,
        reverses=reverses,
    )
    balance.points += points
    balance.updated_at = now
    db.session.add(entry)
    db.session.flush()
    if points > 0:
        _announce_credit([employee_id], entry.at)
    return entry


def reverse_entry(entry_id: int, *, actor: Employee, reason: str) -> LedgerEntry:
    """Compensate a mistaken award with an opposite entry; the original stays."""
    require(actor, REVERSE_ENTRIES)
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None:
        raise NotFound(_("No such ledger entry."))
    if entry.kind not in REVERSIBLE_KINDS:
        raise DomainError(_("Only awards can be reversed; cancel a redemption instead."))
    # Lock first, then look: a concurrent reversal of the same entry is seen once it commits.
    lock_balance(entry.employee_id)
    already = db.session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry.id))
    if already is not None:
        raise Conflict(_("This entry has already been reversed."))
    reversal = post_entry(
        entry.employee_id,
        -entry.points,
        "reversal",
        actor=actor,
        note=reason,
        reference=f"entry:{entry.id}",
        reverses=entry,
    )
    state = {
        "employee": entry.employee.username,
        "kind": entry.kind,
        "points": entry.points,
        "note": entry.note,
    }
    audit.record(
        actor,
        "entry.reversed",
        audit.Subject("entry", entry.id, f"#{entry.id} @{entry.employee.username}: {entry.points}"),
        {**state, "reversed_by": None},
        {**state, "reversed_by": reversal.id, "reason": reason},
    )
    return reversal


def history_page(employee_id: int, page: int) -> Pagination:
    """One page of an employee's entries, newest first (the wallet and a person's ledger)."""
    query = (
        select(LedgerEntry)
        .options(joinedload(LedgerEntry.actor))
        .where(LedgerEntry.employee_id == employee_id)
        .order_by(LedgerEntry.id.desc())
    )
    return paginate(query, page)


def entries_page(employee_id: int, *, limit: int, before: int | None = None) -> KeyPage:
    """A page of an employee's entries, newest first, by key: the API's ?limit=&before=."""
    query = (
        select(LedgerEntry)
        .options(joinedload(LedgerEntry.actor))
        .where(LedgerEntry.employee_id == employee_id)
    )
    return page_before(query, LedgerEntry.id, before, limit)


def reversed_entry_ids(entry_ids: list[int]) -> set[int]:
    """Which of these entries have been reversed."""
    if not entry_ids:
        return set()
    rows = db.session.scalars(
        select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id.in_(entry_ids))
    )
    return set(rows)


class Credit(NamedTuple):
    employee_id: int
    points: int
    note: str | None = None


def post_credits(credits: list[Credit], kind: str, *, at: datetime | None = None) -> list[int]:
    """Append many positive system entries at once (bulk outcome imports).

    The same invariants as post_entry, set-based: the balance rows are
    locked in employee order, the entries inserted in one statement, each
    balance moved by its total. `at` dates the entries when it is not now
    (demo data and history imports). `points_credited` is sent once, for the
    set of employees credited. Returns the new entry ids in input order.
    """
    if any(credit.points <= 0 for credit in credits):
        raise ValueError("post_credits only adds points")
    if not credits:
        return []
    totals: dict[int, int] = {}
    for credit in credits:
        totals[credit.employee_id] = totals.get(credit.employee_id, 0) + credit.points
    ids = sorted(totals)
    balances: dict[int, Balance] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        balances.update((balance.employee_id, balance) for balance in _locked_balances(chunk))
    for employee_id in ids:
        if employee_id not in balances:
            balances[employee_id] = Balance(employee_id=employee_id, points=0)
            db.session.add(balances[employee_id])
    db.session.flush()
    now = utcnow()
    table = LedgerEntry.__table__
    entry_ids = list(
        db.session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [
                {
                    "employee_id": credit.employee_id,
                    "points": credit.points,
                    "kind": kind,
                    "at": at or now,
                    "created_at": now,
                    "actor_id": None,
                    "note": credit.note,
                    "reference": None,
                    "reverses_id": None,
                }
                for credit in credits
            ],
        )
    )
    for employee_id, total in totals.items():
        balances[employee_id].points += total
        balances[employee_id].updated_at = now
    db.session.flush()
    _announce_credit(ids, at or now)
    return entry_ids
