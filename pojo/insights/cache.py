"""The dashboard's figures, kept per worker while the data behind them is unchanged.

The key is the database's state, read in one statement on every page view:
the ledger's entry count and highest id (entries are never updated or
deleted, so any committed entry, even one committed out of id order, raises
the count), the count of entries dated before the current quarter (only a
backdated import changes the past quarters of the trend), and a fingerprint
of the employees' teams, employment and activity; then the window and the
local day (what "six months ago" means moves daily). Each worker fills its
own cache, so none can serve another's stale figures.
"""

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from threading import Lock

from flask import current_app
from sqlalchemy import bindparam, case, func, select

from pojo.database import UTCDateTime
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.people.models import Employee

KEPT = 64
_STORE = "pojo.insights.cache"
_LOCK = Lock()

_BEFORE = bindparam("before", type_=UTCDateTime)
_PEOPLE = (
    func.count(Employee.id),
    func.coalesce(func.sum(Employee.id * func.coalesce(Employee.team_id, 0)), 0),
    func.coalesce(func.sum(case((Employee.employment_type == "temp", Employee.id), else_=0)), 0),
    func.coalesce(func.sum(case((Employee.active, Employee.id), else_=0)), 0),
)
_VERSION = select(
    func.count(LedgerEntry.id),
    func.coalesce(func.max(LedgerEntry.id), 0),
    func.coalesce(func.sum(case((LedgerEntry.at < _BEFORE, 1), else_=0)), 0),
    *(select(aggregate).select_from(Employee).scalar_subquery() for aggregate in _PEOPLE),
).select_from(LedgerEntry)


def data_version(current_quarter_start: datetime) -> tuple[tuple, tuple]:
    """(the whole state, the state the past quarters depend on): one statement."""
    row = tuple(db.session.execute(_VERSION, {"before": current_quarter_start}).one())
    everything = row[:2] + row[3:]
    past = (row[2],) + row[3:]
    return everything, past


def cached(key: tuple, build: Callable[[], object]):
    """The value kept for `key`, building it the first time (the oldest keys are dropped)."""
    store: OrderedDict = current_app.extensions.setdefault(_STORE, OrderedDict())
    with _LOCK:
        if key in store:
            store.move_to_end(key)
            return store[key]
    value = build()
    with _LOCK:
        store[key] = value
        while len(store) > KEPT:
            store.popitem(last=False)
    return value
