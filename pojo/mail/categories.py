"""Which notices go out by e-mail, in categories a person chooses from.

A category gathers notice kinds a person thinks of as one thing ("my swaps"). A kind in
none of them stays in the bell only: goals, outcome points and the steps of a swap on its
way are news for the next visit, not for the inbox. Every category is on by default.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Category:
    name: str
    label: object  # lazy: shown on the settings page
    subject: object  # lazy: the e-mail's subject, after "Pojo: "
    kinds: tuple[str, ...]


CATEGORIES = (
    Category(
        "awards",
        _l("Awards: a supervisor gives you points"),
        _l("you were awarded points"),
        ("award_received",),
    ),
    Category(
        "redemptions",
        _l("Redemptions: your reward is handed over, or refunded"),
        _l("news about your redemption"),
        ("redemption_fulfilled", "redemption_cancelled"),
    ),
    Category(
        "swaps",
        _l("Shift swaps: a shift is covered, or nobody took it"),
        _l("news about a shift swap"),
        (
            "swap_covered",
            "swap_you_cover",
            "swap_expired",
            "swap_turned_down",
            "swap_called_off",
            "swap_back_on_board",
        ),
    ),
    Category(
        "contract",
        _l("Contract: your contract is about to end"),
        _l("your contract is about to end"),
        ("contract_ending",),
    ),
    Category(
        "approvals",
        _l("Approvals: an outcome import or a swap waits for you"),
        _l("something waits for your approval"),
        ("outcome_import_pending", "swap_to_approve"),
    ),
)

BY_NAME = {category.name: category for category in CATEGORIES}
OF_KIND = {kind: category for category in CATEGORIES for kind in category.kinds}
