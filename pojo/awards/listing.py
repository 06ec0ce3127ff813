"""The awards list: search by person, criterion or note, filters, only what the viewer may see."""

from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import aliased

from pojo.awards.models import Award, Criterion
from pojo.awards.service import visible_awards
from pojo.extensions import db
from pojo.pagination import Pagination, paginate
from pojo.people.models import Employee
from pojo.people.service import visible_records
from pojo.search import matching, within_days


class AwardFilter(NamedTuple):
    """The awards list's search and filters; None and empty mean "any"."""

    text: str | None = None
    team_id: int | None = None
    criterion_id: int | None = None
    giver_id: int | None = None
    since: date | None = None
    until: date | None = None


def givers(actor: Employee) -> list[Employee]:
    """Who made the awards the actor may see, by name (the "awarded by" filter's choices)."""
    given = select(Award.awarded_by_id).where(
        visible_records(actor, team=Award.team_id, employee=Award.employee_id)
    )
    query = select(Employee).where(Employee.id.in_(given)).order_by(Employee.display_name)
    return list(db.session.scalars(query))


def awards_page(actor: Employee, page: int, filters: AwardFilter | None = None) -> Pagination:
    """One page of the awards the actor may see, as filtered, newest first (the awards list).

    A search matches each word in the recipient's name or username, the
    criterion's name in either language, the note or the giver's name.
    """
    filters = filters or AwardFilter()
    query = visible_awards(actor)
    if filters.text:
        recipient, giver = aliased(Employee), aliased(Employee)
        named = aliased(Criterion)
        query = (
            query.join(recipient, recipient.id == Award.employee_id)
            .join(named, named.id == Award.criterion_id)
            .outerjoin(giver, giver.id == Award.awarded_by_id)
            .where(
                matching(
                    filters.text,
                    recipient.display_name,
                    recipient.username,
                    named.name_en,
                    named.name_fi,
                    Award.note,
                    giver.display_name,
                )
            )
        )
    if filters.team_id is not None:
        query = query.where(Award.team_id == filters.team_id)
    if filters.criterion_id is not None:
        query = query.where(Award.criterion_id == filters.criterion_id)
    if filters.giver_id is not None:
        query = query.where(Award.awarded_by_id == filters.giver_id)
    query = query.where(*within_days(Award.created_at, filters.since, filters.until))
    return paginate(query, page)
