"""The people list: search by name and username, filters, only whom the viewer may see."""

from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo.extensions import db
from pojo.ledger import service as ledger
from pojo.pagination import Pagination, paginate
from pojo.people.models import Employee, Team
from pojo.people.policy import OVERSEE_ALL_TEAMS
from pojo.people.service import visible_employees, visible_records
from pojo.policy import can
from pojo.search import matching


class PeoplePage(NamedTuple):
    """One page of the people list: the paginator (for its links) and (person, balance) rows."""

    pages: Pagination
    rows: list[tuple[Employee, int | None]]


class PeopleFilter(NamedTuple):
    """The people list's filters; an agency or an end date leaves only temps."""

    employment: str | None = None
    agency: str | None = None
    ends_by: date | None = None
    text: str | None = None
    team_id: int | None = None
    role: str | None = None
    active: bool | None = None


def agencies(actor: Employee) -> list[str]:
    """The agencies of the temps the actor may see, by name (the filter's choices)."""
    names = db.session.scalars(
        select(Employee.agency_name)
        .distinct()
        .where(
            visible_records(actor, team=Employee.team_id, employee=Employee.id),
            Employee.agency_name.is_not(None),
        )
    )
    return sorted(names, key=str.lower)


def filter_teams(actor: Employee) -> list[Team]:
    """The teams the list's team filter offers: every team for HR, a supervisor's own."""
    if can(actor, OVERSEE_ALL_TEAMS):
        return list(db.session.scalars(select(Team).order_by(Team.name)))
    return sorted(actor.supervised_teams, key=lambda team: team.name.lower())


def _filtered(query, filters: PeopleFilter):
    temps_only = filters.employment == "temp" or filters.agency or filters.ends_by
    if temps_only:
        query = query.where(Employee.employment_type == "temp")
    elif filters.employment == "permanent":
        query = query.where(Employee.employment_type == "permanent")
    if filters.agency:
        query = query.where(Employee.agency_name == filters.agency)
    if filters.ends_by:
        query = query.where(Employee.contract_end <= filters.ends_by)
    if filters.team_id is not None:
        query = query.where(Employee.team_id == filters.team_id)
    if filters.role:
        query = query.where(Employee.role == filters.role)
    if filters.active is not None:
        query = query.where(Employee.active.is_(filters.active))
    return query.where(matching(filters.text, Employee.display_name, Employee.username))


def people_with_balances(
    actor: Employee, page: int, filters: PeopleFilter | None = None
) -> PeoplePage:
    """One page of the employees the actor may see, as filtered, with balances; active first.

    A search matches each word in the name or username, in any case. Filtered by temps' agency or contract end, the soonest ends come first.
    """
    filters = filters or PeopleFilter()
    query = _filtered(visible_employees(actor), filters)
    if filters.agency or filters.ends_by:
        query = query.order_by(Employee.contract_end.is_(None), Employee.contract_end)
    query = query.options(joinedload(Employee.team)).order_by(
        Employee.active.desc(), Employee.display_name, Employee.id
    )
    found = paginate(query, page)
    balances = ledger.balances_of([person.id for person in found.items])
    return PeoplePage(found, [(person, balances.get(person.id)) for person in found.items])
