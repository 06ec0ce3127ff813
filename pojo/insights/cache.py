"""The dashboard's figures, kept per worker while the data behind them is unchanged.

The heavy figures (segments, the economy's medians, fairness, the trend) are worked out as
of the start of the local day and kept under a key read in one statement on every page view
(`pojo.insights.stored.stamps`): how many ledger entries are dated up to that moment and up
to each past quarter's end, and the cancelled redemptions among them (entries are never
updated or deleted, so only a new backdated one or a cancellation changes a count; a count is
exact whatever order transactions commit in), and a fingerprint of the employees' teams,
employment and activity (`PEOPLE`). Today's own movements are added live by small range
queries (`pojo.insights.dashboard`). Each worker fills its own cache, so none can serve
another's stale figures.
"""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask import current_app
from sqlalchemy import case, func

from pojo.people.models import Employee

KEPT = 64
_STORE = "pojo.insights.cache"
_LOCK = Lock()

PEOPLE = (
    func.count(Employee.id),
    func.coalesce(func.sum(Employee.id * func.coalesce(Employee.team_id, 0)), 0),
    func.coalesce(func.sum(case((Employee.employment_type == "temp", Employee.id), else_=0)), 0),
    func.coalesce(func.sum(case((Employee.active, Employee.id), else_=0)), 0),
)


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
