"""Who decides swaps: a team's supervisors (and HR, admin) approve; HR sets the rules."""

from flask_babel import lazy_gettext as _l

from pojo.policy import can, capability
from pojo.shifts.policy import PLAN_SHIFTS


def _plans_the_team(actor, team) -> bool:
    """a supervisor: the teams they supervise; HR and admin: any"""
    return can(actor, PLAN_SHIFTS, team)


APPROVE_SWAPS = capability(
    "approve_swaps",
    ("supervisor", "hr", "admin"),
    "Approve or turn down a taken shift swap, and decide whether the team's swaps need approval",
    check=_plans_the_team,
    refusal=_l("Only the team's supervisors, HR and admin decide its swaps."),
)
SET_SWAP_RULES = capability(
    "set_swap_rules",
    ("hr", "admin"),
    "Set the swap deadline and the minimum rest between shifts",
    refusal=_l("Only HR and admin set the swap rules."),
)
