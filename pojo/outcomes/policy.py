"""Who records outcomes, who approves a supervisor's import, who keeps the rules.

Four eyes: a supervisor's import is applied only once someone else from HR
or admin approves it; HR and admin record their own at once.
"""

from flask_babel import lazy_gettext as _l

from pojo.policy import can, capability

RECORD_OUTCOMES = capability(
    "record_outcomes",
    ("supervisor", "hr", "admin"),
    "Import outcome files and see recent outcomes (a supervisor: their teams', once approved)",
    refusal=_l("Only supervisors, HR and admin record outcomes."),
)
APPLY_OUTCOMES = capability(
    "apply_outcomes",
    ("hr", "admin"),
    "Record outcomes without anyone's approval: own imports, the API, `outcomes import --as`",
)


def _submitted_by_another(actor, upload) -> bool:
    """a submitted import someone else uploaded"""
    return upload.status == "pending" and actor.id != upload.uploaded_by_id


APPROVE_IMPORTS = capability(
    "approve_imports",
    ("hr", "admin"),
    "Apply or reject a supervisor's submitted import; see everyone's imports",
    check=_submitted_by_another,
)


def _own_upload(actor, upload) -> bool:
    """its uploader; HR and admin: any"""
    return upload.uploaded_by_id == actor.id or can(actor, APPROVE_IMPORTS)


VIEW_IMPORT = capability(
    "view_import",
    ("supervisor", "hr", "admin"),
    "See an uploaded file's preview and decision (to anyone else it does not exist)",
    check=_own_upload,
    refusal=_l("No such import."),
    hides=True,
)
EDIT_RULES = capability(
    "edit_rules",
    ("hr", "admin"),
    "Create and edit outcome rules; see inactive ones",
    refusal=_l("Only HR and admin edit outcome rules."),
)
