"""Who awards whom, beyond which budget, and who keeps the criteria."""

from flask_babel import lazy_gettext as _l

from pojo.people.policy import OVERSEE_ALL_TEAMS
from pojo.policy import can, capability


def _overseen(actor, employee) -> bool:
    """a supervisor: members of the teams they supervise; HR and admin: anyone"""
    return can(actor, OVERSEE_ALL_TEAMS) or actor.supervises(employee)


AWARD = capability(
    "award",
    ("supervisor", "hr", "admin"),
    "Award a criterion's points (never to oneself); see the awards of those one may award",
    check=_overseen,
    refusal=_l("Only supervisors, HR and admin award points."),
)
AWARD_OVER_BUDGET = capability(
    "award_over_budget",
    ("hr", "admin"),
    "Award beyond a team's monthly budget (a supervisor's awards stop at it)",
)
MANAGE_CRITERIA = capability(
    "manage_criteria",
    ("hr", "admin"),
    "Create and edit criteria; see retired ones and the codes",
    refusal=_l("Only HR and admin edit the criteria."),
)
MANAGE_BUDGETS = capability(
    "manage_budgets",
    ("hr", "admin"),
    "Set a team's monthly award budget",
    refusal=_l("Only HR and admin set budgets."),
)
