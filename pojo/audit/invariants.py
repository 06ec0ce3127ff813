"""The audit log's checks for `flask ledger verify`.

Its append-only triggers are in place: without them an UPDATE or DELETE of
`audit_entries` would go through unnoticed, so a dropped trigger (a restore without
them, a hand-made schema) is a broken invariant. And every reversal in the ledger
has its entry (a reversal that did not go through `reverse_entry` went round HR's
trail), counting from the log's first entry, so reversals made before the log
existed are not held against it.
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


CHECKS = (
    Check("the audit log refuses updates and deletes", run=_missing_triggers),
    Check(
        "every reversal since the audit log began has its audit entry",
        """
    SELECT r.id FROM ledger_entries r
    WHERE r.kind = 'reversal'
      AND r.created_at >= (SELECT MIN(at) FROM audit_entries)
      AND NOT EXISTS (
          SELECT 1 FROM audit_entries a
          WHERE a.action = 'entry.reversed' AND a.subject_kind = 'entry'
            AND a.subject_id = r.reverses_id)
    """,
    ),
)
