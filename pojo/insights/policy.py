"""Who sees HR's insights: individual labels for HR and admin; team aggregates for supervisors."""

from flask_babel import lazy_gettext as _l

from pojo.people.policy import OVERSEE_ALL_TEAMS
from pojo.policy import can, capability

_PRIVILEGED = ("hr", "admin")


def _team_overseen(actor, team) -> bool:
    """a supervisor: the teams they supervise; HR and admin: any"""
    return can(actor, OVERSEE_ALL_TEAMS) or any(t.id == team.id for t in actor.supervised_teams)


VIEW_INSIGHTS = capability(
    "view_insights",
    _PRIVILEGED,
    "See the HR dashboard: every employee's segment, fairness, the points economy",
    refusal=_l("Only HR and admin see the insights."),
)
VIEW_TEAM_INSIGHTS = capability(
    "view_team_insights",
    ("supervisor", "hr", "admin"),
    "See a team's aggregate insights (no individual labels, no group under 5 people)",
    check=_team_overseen,
    refusal=_l("Only the team's supervisors, HR and admin see its insights."),
)
EXPORT_PAYROLL = capability(
    "export_payroll",
    _PRIVILEGED,
    "Export fulfilled redemptions for payroll, per employer of record",
    refusal=_l("Only HR and admin export payroll."),
)
IMPORT_HISTORY = capability(
    "import_history",
    _PRIVILEGED,
    "Import people and points history from a spreadsheet or an older system",
    refusal=_l("Only HR and admin import people and history."),
)
HAVE_A_SEGMENT = capability(
    "have_a_segment",
    ("agent", "supervisor"),
    "Be measured into a segment and see one's own on the wallet (HR and admin run the scheme)",
)
