"""The audit log's check for `flask ledger verify`: its append-only triggers are in place.

Without them an UPDATE or DELETE of `audit_entries` would go through unnoticed, so a
dropped trigger (a restore without them, a hand-made schema) is a broken invariant.
"""

from sqlalchemy import text

from pojo.audit.models import TABLE, TRIGGERS
from pojo.extensions import db
from pojo.ledger.verify import Check


def _missing_triggers() -> list[tuple]:
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:table AS regclass)"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"
    present = set(db.session.scalars(text(sql), {"table": TABLE}))
    return [(name,) for name in TRIGGERS if name not in present]


CHECKS = (Check("the audit log refuses updates and deletes", run=_missing_triggers),)
