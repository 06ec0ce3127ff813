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
    "team.swap_approval_set": _l("Team's swap approval changed"),
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
    "token.created": _l("API token created"),
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

# The fields of the states recorded before and after, in words (a field missing here,
# such as one of the insights' thresholds, shows as its name).
FIELDS = {
    "active": _l("Active"),
    "agency_name": _l("Agency"),
    "awards": _l("Awards"),
    "balance": _l("Balance"),
    "base_price": _l("Base price"),
    "category": _l("Category"),
    "ceiling_price": _l("Ceiling price"),
    "changed": _l("Changed"),
    "code": _l("Code"),
    "contract_end": _l("Contract end"),
    "created": _l("Created"),
    "criterion": _l("Criterion"),
    "description_en": _l("Description (English)"),
    "description_fi": _l("Description (Finnish)"),
    "display_name": _l("Name"),
    "email": _l("Email"),
    "employee": _l("Employee"),
    "employees": _l("Employees"),
    "employment_type": _l("Employment"),
    "euro_cents_per_100_points": _l("Euro cents per 100 points"),
    "expected_per_30d": _l("Expected redemptions per 30 days"),
    "floor_price": _l("Floor price"),
    "half_life_days": _l("Demand half-life in days"),
    "image_changed": _l("New image"),
    "image_type": _l("Image type"),
    "income_type_code": _l("Income-type code"),
    "kind": _l("Kind"),
    "language": _l("Language"),
    "limit_period": _l("Limit period"),
    "max_score": _l("Highest score"),
    "max_step_pct": _l("Largest price step (%)"),
    "min_score": _l("Lowest score"),
    "monthly_award_budget": _l("Monthly award budget"),
    "name": _l("Name"),
    "name_en": _l("Name (English)"),
    "name_fi": _l("Name (Finnish)"),
    "new": _l("New"),
    "new_rewards": _l("New rewards"),
    "new_teams": _l("New teams"),
    "note": _l("Note"),
    "outcomes": _l("Outcomes"),
    "password_changed": _l("New password"),
    "payroll_company_name": _l("Company name on payroll"),
    "per_person_limit": _l("Limit per person"),
    "points": _l("Points"),
    "points_awarded": _l("Points awarded"),
    "points_redeemed": _l("Points redeemed"),
    "price_paid": _l("Price paid"),
    "reason": _l("Reason"),
    "redemptions": _l("Redemptions"),
    "rest_period_hours": _l("Minimum rest between shifts (hours)"),
    "reversed_by": _l("Reversed by"),
    "revoked_at": _l("Revoked"),
    "reward": _l("Reward"),
    "role": _l("Role"),
    "rows": _l("Rows"),
    "skipped_rows": _l("Skipped rows"),
    "status": _l("Status"),
    "stock": _l("Stock"),
    "supervises": _l("Supervises"),
    "swap_deadline_hours": _l("Swap deadline (hours before the shift)"),
    "swap_needs_approval": _l("Covered swaps need approval"),
    "tax_treatment": _l("Tax treatment"),
    "team": _l("Team"),
    "tier": _l("Tier"),
    "unspent_points": _l("Unspent points at contract end"),
    "uploaded_by": _l("Uploaded by"),
    "username": _l("Username"),
    "value_cents": _l("Value (euro cents)"),
}


# Codes stored as values, in words, by field (any other value shows as stored).
VALUES = {
    "role": {
        "agent": _l("Agent"),
        "supervisor": _l("Supervisor"),
        "hr": _l("HR"),
        "admin": _l("Admin"),
    },
    "employment_type": {"permanent": _l("Permanent"), "temp": _l("Temp")},
    "status": {
        "previewed": _l("Previewed"),
        "pending": _l("Waiting for approval"),
        "applied": _l("Applied"),
        "rejected": _l("Rejected"),
        "fulfilled": _l("Handed over"),
        "cancelled": _l("Cancelled"),
    },
    "unspent_points": {
        "keep": _l("Keep them frozen for a re-hire"),
        "expire": _l("Expire them with a ledger entry"),
    },
    "language": {"fi": _l("Finnish"), "en": _l("English")},
}


def field_label(name: str) -> str:
    label = FIELDS.get(name)
    return str(label) if label is not None else name


def value_label(field: str, value: object) -> object:
    """A stored code in words where it is one of `VALUES`; anything else as it is."""
    if not isinstance(value, str):
        return value
    label = VALUES.get(field, {}).get(value)
    return str(label) if label is not None else value
