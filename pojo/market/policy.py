"""Who keeps the reward catalogue, who hands rewards over, who sees a withdrawn reward."""

from flask_babel import lazy_gettext as _l

from pojo.policy import ROLES, can, capability

MANAGE_CATALOGUE = capability(
    "manage_catalogue",
    ("hr", "admin"),
    "Create and edit rewards, their prices and stock; see withdrawn ones",
    refusal=_l("Only HR and admin manage the rewards."),
)


def _on_offer(actor, reward) -> bool:
    """an active reward; HR and admin: withdrawn ones too"""
    return reward.active or can(actor, MANAGE_CATALOGUE)


VIEW_REWARD = capability(
    "view_reward",
    ROLES,
    "See a reward's page and price history (a withdrawn one does not exist for others)",
    check=_on_offer,
    refusal=_l("No such reward."),
    hides=True,
)
FULFIL_REDEMPTIONS = capability(
    "fulfil_redemptions",
    ("hr", "admin"),
    "See the redemption queue; hand a reward over or cancel with a refund",
    refusal=_l("Only HR and admin fulfil or cancel redemptions."),
)
