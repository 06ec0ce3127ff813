"""Login throttling that holds under concurrency and cannot be turned into a weapon.

Each password check first reserves one unit in three counters for the current
window: the (account, address) pair, the account, and the address. The
reservation is one conditional upsert per counter (``INSERT … ON CONFLICT DO
UPDATE … WHERE failures < limit RETURNING``), so counting and reserving is a
single atomic step on every worker; if any counter is full, nothing is reserved
and no password is checked. A successful login gives its unit back, so the
counters hold failures (and checks still under way).

The pair locks first: someone guessing from one address locks only themselves
out of that account, and its owner still logs in from elsewhere. The higher
account limit stops guessing spread over many addresses, and the per-address
limit, higher still, stops one address trying many accounts without locking
out an office whose agents share one address because of a few typos.
"""

import math
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from pojo.auth.models import LoginCounter
from pojo.database import upsert, utcnow
from pojo.extensions import db
from pojo.unit_of_work import delete_in_batches


@dataclass(frozen=True)
class LoginLimits:
    """Failed password checks allowed per window, per pair, account and address (0: no limit)."""

    pair: int
    account: int
    address: int
    window_minutes: int

    @classmethod
    def from_config(cls, config) -> "LoginLimits":
        return cls(
            pair=config["LOGIN_MAX_FAILURES"],
            account=config["LOGIN_ACCOUNT_MAX_FAILURES"],
            address=config["LOGIN_ADDRESS_MAX_FAILURES"],
            window_minutes=config["LOGIN_WINDOW_MINUTES"],
        )


@dataclass(frozen=True)
class Reservation:
    """The counters one password check holds a unit of."""

    keys: tuple[tuple[str, str], ...]
    window_start: datetime


class _LimitReached(Exception):
    pass


def window_start(now: datetime, minutes: int) -> datetime:
    """Start of the fixed window `now` falls in (windows are aligned to the epoch)."""
    seconds = minutes * 60
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, UTC)


def seconds_left(now: datetime, minutes: int) -> int:
    """Seconds until the current window ends and its counters no longer apply."""
    end = window_start(now, minutes) + timedelta(minutes=minutes)
    return max(1, math.ceil((end - now).total_seconds()))


@contextmanager
def _own_transaction():
    """A connection whose counter updates are committed at once.

    On PostgreSQL this is a connection of its own, so the row locks last a few
    milliseconds rather than through the password hash: logins from one office
    address do not queue behind each other. SQLite already serialises every
    write transaction (BEGIN IMMEDIATE), so there a savepoint of the request's
    transaction is both exact and the only choice (a second connection would
    wait for the first); the login view's response commits it.
    """
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection, connection.begin():
            yield connection
    else:
        with db.session.begin_nested():
            yield db.session.connection()


def reserve(username: str, address: str, limits: LoginLimits) -> Reservation | None:
    """Reserve one password check in every counter, or None when any of them is full."""
    start = window_start(utcnow(), limits.window_minutes)
    wanted = [
        ("pair", f"{address} {username}", limits.pair),
        ("account", username, limits.account),
        ("address", address, limits.address),
    ]
    counted = [(scope, key, limit) for scope, key, limit in wanted if limit > 0]
    try:
        with _own_transaction() as connection:
            # Always the same order (pair, account, address): no two logins deadlock.
            for scope, key, limit in counted:
                statement = (
                    upsert(connection, LoginCounter)
                    .values(scope=scope, key=key, window_start=start, failures=1)
                    .on_conflict_do_update(
                        index_elements=["scope", "key", "window_start"],
                        set_={"failures": LoginCounter.failures + 1},
                        where=LoginCounter.failures < limit,
                    )
                    .returning(LoginCounter.failures)
                )
                if connection.execute(statement).first() is None:
                    raise _LimitReached
    except _LimitReached:
        return None
    return Reservation(tuple((scope, key) for scope, key, _limit in counted), start)


def release(reservation: Reservation) -> None:
    """Give back a reservation whose password was right: a success is no failure."""
    if not reservation.keys:
        return
    with _own_transaction() as connection:
        # One row at a time, in the order reserve() locks them, so neither waits on the other.
        for scope, key in reservation.keys:
            connection.execute(
                update(LoginCounter)
                .where(
                    LoginCounter.scope == scope,
                    LoginCounter.key == key,
                    LoginCounter.window_start == reservation.window_start,
                    LoginCounter.failures > 0,
                )
                .values(failures=LoginCounter.failures - 1)
            )


def prune_ended_windows(day_start: datetime, minutes: int) -> int:
    """Delete the counters of windows that ended before `day_start` (the nightly job).

    Only the current window's counters are ever read, so an ended one counts nothing.
    """
    ended = day_start - timedelta(minutes=minutes)
    return delete_in_batches(LoginCounter, LoginCounter.window_start < ended)
