"""Who reads the audit log: HR and admin. Nobody edits it (the database refuses)."""

from flask_babel import lazy_gettext as _l

from pojo.policy import capability

READ_AUDIT_LOG = capability(
    "read_audit_log",
    ("hr", "admin"),
    "Read and filter the audit log of HR's and admins' actions (nobody can change it)",
    refusal=_l("Only HR and admin read the audit log."),
)
