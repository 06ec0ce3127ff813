"""The dashboard's figures, kept per worker while the data behind them is unchanged.

The heavy figures (segments, the economy's medians, fairness) are worked out
as of the start of the local day and kept under a key read in one statement
on every page view: how many ledger entries are dated before that moment
(entries are never updated or deleted, so only a new backdated one changes
it; the count is exact whatever order transactions commit in), how many
before the current quarter (the trend's past quarters), and a fingerprint of
the employees' teams, employment and activity. Today's own movements are
added live by small range queries (`pojo.insights.dashboard`). Each worker
fills its own cache, so none can serve another's stale figures.
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

_TODAY = bindparam("today", type_=UTCDateTime)
_QUARTER = bindparam("quarter", type_=UTCDateTime)
PEOPLE = (
    func.count(Employee.id),
    func.coalesce(func.sum(Employee.id * func.coalesce(Employee.team_id, 0)), 0),
    func.coalesce(func.sum(case((Employee.employment_type == "temp", Employee.id), else_=0)), 0),
    func.coalesce(func.sum(case((Employee.active, Employee.id), else_=0)), 0),
)


def _count(*conditions):
    return select(func.count(LedgerEntry.id)).where(*conditions).scalar_subquery()


# Scalar subqueries: a bare count(*) is SQLite's fastest scan, and the two dated counts
# read only the recent end of the `at` index.
_VERSION = select(
    _count(),
    _count(LedgerEntry.at >= _TODAY),
    _count(LedgerEntry.at >= _QUARTER),
    *(select(aggregate).select_from(Employee).scalar_subquery() for aggregate in PEOPLE),
)


def data_version(today: datetime, quarter: datetime) -> tuple[tuple, tuple]:
    """(the state of everything dated before `today`, of everything before `quarter`)."""
    total, since_today, since_quarter, *people = db.session.execute(
        _VERSION, {"today": today, "quarter": quarter}
    ).one()
    return (total - since_today, *people), (total - since_quarter, *people)


def cached(key: tuple, build: Callable[[], object], shelf: str = "figures"):
    """The value kept for `key`, building it the first time (the oldest keys are dropped).

    Each `shelf` keeps its own KEPT values, so many cheap ones (one person's profile for every
    wallet view) never push out the few dear ones (a whole window's segments).
    """
    shelves: dict = current_app.extensions.setdefault(_STORE, {})
    store: OrderedDict = shelves.setdefault(shelf, OrderedDict())
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


def forget() -> None:
    """Drop everything this app keeps (the bench and tests time uncached work)."""
    with _LOCK:
        current_app.extensions.pop(_STORE, None)
