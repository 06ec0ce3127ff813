"""Team budgets: how many points a team's supervisors may award in a month.

The budget lives on the team row (`Team.monthly_award_budget`, None for the
site default) but every rule about it is here: what counts against it, who
sets it, and the lock that keeps two supervisors from both spending the last
of it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from pojo.audit import service as audit
from pojo.awards.models import Award
from pojo.awards.policy import MANAGE_BUDGETS
from pojo.database import utcnow
from pojo.errors import DomainError, NotFound
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.people.models import Employee, Team
from pojo.policy import require
from pojo.rows import lock_row, site_zone

MAX_BUDGET = 10_000_000


@dataclass(frozen=True)
class BudgetStatus:
    team: Team
    budget: int
    used: int

    @property
    def left(self) -> int:
        return max(self.budget - self.used, 0)


def month_start(now: datetime | None = None) -> datetime:
    """Start of the current calendar month in the site's time zone, as UTC."""
    local = (now or utcnow()).astimezone(site_zone())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def team_budget(team: Team, at: datetime | None = None) -> BudgetStatus:
    """This month's award budget of a team and how much of it is used.

    Manual awards to the team's members count; reversed awards give their
    points back to the budget; awards from outcome rules never count.
    """
    return team_budgets([team], at)[0]


def team_budgets(teams: list[Team], at: datetime | None = None) -> list[BudgetStatus]:
    """`team_budget` of each team, in one query however many teams there are."""
    if not teams:
        return []
    reversed_entry = select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id.is_not(None))
    used = dict(
        db.session.execute(
            select(Award.team_id, func.sum(Award.points))
            .where(
                Award.team_id.in_([team.id for team in teams]),
                Award.source == "manual",
                Award.created_at >= month_start(at),
                Award.created_at <= (at or utcnow()),
                Award.entry_id.not_in(reversed_entry),
            )
            .group_by(Award.team_id)
        ).all()
    )
    default = current_app.config["TEAM_MONTHLY_BUDGET"]
    return [
        BudgetStatus(
            team=team,
            budget=default if team.monthly_award_budget is None else team.monthly_award_budget,
            used=used.get(team.id, 0),
        )
        for team in teams
    ]


def locked_budget(team: Team, at: datetime | None = None) -> BudgetStatus:
    """The team's budget with its row locked until the transaction ends.

    Taken before an award is checked against it, so two supervisors awarding
    at once cannot both spend the last of the budget.
    """
    lock_row(Team, team.id)
    return team_budget(team, at)


def set_team_budget(actor: Employee, team_id: int, budget: int | None) -> Team:
    """Set a team's monthly award budget; None returns it to the site default."""
    require(actor, MANAGE_BUDGETS)
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound(_("No such team."))
    if budget is not None and not 0 <= budget <= MAX_BUDGET:
        raise DomainError(_("A budget is a whole number of points from 0 to 10000000."))
    before = {"monthly_award_budget": team.monthly_award_budget}
    team.monthly_award_budget = budget
    db.session.flush()
    if budget != before["monthly_award_budget"]:
        audit.record(
            actor,
            "budget.set",
            audit.Subject("team", team.id, team.name),
            before,
            {"monthly_award_budget": budget},
        )
    return team
