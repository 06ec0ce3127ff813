"""Finding and locking rows by id, and choosing a text by language: one way for every feature."""

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from pojo import bounds
from pojo.bounds import ROW_ID
from pojo.extensions import db


def get_row(model, row_id):
    """The row of `model` with this id, or None (also for ids no key column can hold)."""
    if isinstance(row_id, bool) or not isinstance(row_id, int):
        return None
    if not ROW_ID.minimum <= row_id <= ROW_ID.maximum:
        return None
    return db.session.get(model, row_id)


def lock_row(model, row_id):
    """The row with a write lock (FOR NO KEY UPDATE on PostgreSQL), read afresh; None when absent.

    ``populate_existing`` matters: a row already in the session would otherwise
    keep the values read before the lock was taken. FOR NO KEY UPDATE excludes every
    other locker as FOR UPDATE does, but not the KEY SHARE lock a foreign key check
    takes: with FOR UPDATE, a swap take holding its taker's employee row while waiting
    for the taker's balance deadlocked with an award holding that balance while its
    ledger entry's foreign key waited for the employee row (found by bench/load_faults.py).
    """
    if get_row(model, row_id) is None:
        return None
    return db.session.scalars(
        select(model)
        .where(model.id == row_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).one_or_none()


def newest_rows(model, condition, when, *options) -> list:
    """The rows of `model` matching `condition`, newest `when` (then id) first, at most
    PERSONAL_DATA_ROWS: each feature's part of an employee's personal data download."""
    statement = (
        select(model)
        .where(condition)
        .order_by(when.desc(), model.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
    )
    return list(db.session.scalars(statement.options(*options) if options else statement))


def in_language(language: str, en: str, fi: str) -> str:
    """The Finnish text for Finnish, else the English one."""
    return fi if language == "fi" else en


class Bilingual:
    """Mixin for rows with ``name_en``/``name_fi`` and ``description_en``/``description_fi``."""

    def name(self, language: str) -> str:
        return in_language(language, self.name_en, self.name_fi)

    def description(self, language: str) -> str:
        return in_language(language, self.description_en, self.description_fi)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def site_zone() -> ZoneInfo:
    """The zone people's dates and months are counted in (``TIMEZONE``, Europe/Helsinki)."""
    return _zone(current_app.config["TIMEZONE"])


def local_date(moment: datetime) -> date:
    """The calendar date of `moment` in the site's zone."""
    return moment.astimezone(site_zone()).date()


def plain_rows(statement, params=None) -> list:
    """The rows of a column `statement` on the session's connection, past the ORM's row
    handling (5,000 rows read 2-3 times as fast); pending changes are flushed first, as the
    session's own `execute` would."""
    db.session.flush()
    return db.session.connection().execute(statement, params or {}).all()
