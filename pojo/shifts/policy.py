"""Who sees and plans shifts: everyone their own; supervisors their teams'; HR every team's."""

from flask_babel import lazy_gettext as _l

from pojo.people.policy import OVERSEE_ALL_TEAMS
from pojo.policy import can, capability


def _team_overseen(actor, team) -> bool:
    """a supervisor: the teams they supervise; HR and admin: any"""
    return can(actor, OVERSEE_ALL_TEAMS) or any(t.id == team.id for t in actor.supervised_teams)


PLAN_SHIFTS = capability(
    "plan_shifts",
    ("supervisor", "hr", "admin"),
    "See a team's schedule; create, edit, delete and import its shifts",
    check=_team_overseen,
    refusal=_l("Only the team's supervisors, HR and admin plan its shifts."),
)
