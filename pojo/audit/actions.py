"""The actions the audit log records and the kinds of thing they act on, in words.

`record()` refuses a code missing here, so every entry has a label and a filter choice.
"""

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "entry.reversed": _l("Ledger entry reversed"),
    "employee.created": _l("Employee added"),
    "employee.edited": _l("Employee edited"),
    "employee.role_changed": _l("Role changed"),
    "employee.deactivated": _l("Employee deactivated"),
    "employee.reactivated": _l("Employee reactivated"),
    "team.created": _l("Team added"),
    "users.imported": _l("Users imported"),
    "history.imported": _l("History imported"),
    "reward.created": _l("Reward created"),
    "reward.edited": _l("Reward edited"),
    "reward.archived": _l("Reward withdrawn"),
    "criterion.created": _l("Criterion created"),
    "criterion.edited": _l("Criterion edited"),
    "rule.created": _l("Outcome rule created"),
    "rule.edited": _l("Outcome rule edited"),
    "budget.set": _l("Team budget set"),
    "outcomes.applied": _l("Outcome import applied"),
    "outcomes.rejected": _l("Outcome import rejected"),
    "contract.extended": _l("Contract extended"),
    "contract.ended": _l("Contract ended"),
    "setting.changed": _l("Setting changed"),
    "token.revoked": _l("API token revoked"),
    "shifts.imported": _l("Shifts imported"),
    "redemption.fulfilled": _l("Redemption handed over"),
    "redemption.cancelled": _l("Redemption cancelled"),
}

SUBJECT_KINDS = {
    "entry": _l("Ledger entry"),
    "employee": _l("Employee"),
    "team": _l("Team"),
    "import": _l("Import"),
    "reward": _l("Reward"),
    "criterion": _l("Criterion"),
    "rule": _l("Outcome rule"),
    "setting": _l("Setting"),
    "token": _l("API token"),
    "redemption": _l("Redemption"),
}

# The fields of the states recorded before and after, in words (a field missing here
# shows as its name).
FIELDS = {
    "points": _l("Points"),
    "note": _l("Note"),
    "reason": _l("Reason"),
    "employee": _l("Employee"),
    "kind": _l("Kind"),
    "reversed_by": _l("Reversed by"),
}


def field_label(name: str) -> str:
    label = FIELDS.get(name)
    return str(label) if label is not None else name
