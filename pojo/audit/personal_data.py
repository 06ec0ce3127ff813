"""The audit log's part of an employee's personal data download: what HR and admin did to
their account, and what they did themselves if they are HR or admin."""

from sqlalchemy import and_, or_

from pojo.audit.models import AuditEntry
from pojo.people.models import Employee
from pojo.rows import newest_rows


def audit_entries(employee: Employee) -> list[dict]:
    about = and_(AuditEntry.subject_kind == "employee", AuditEntry.subject_id == employee.id)
    rows = newest_rows(AuditEntry, or_(about, AuditEntry.actor_id == employee.id), AuditEntry.at)
    return [
        {
            "at": row.at,
            "action": row.action,
            "by_me": row.actor_id == employee.id,
            "subject": f"{row.subject_kind}:{row.subject_id or ''} {row.subject_label}",
            "before": row.before,
            "after": row.after,
        }
        for row in rows
    ]


PARTS = {"audit_log": audit_entries}
