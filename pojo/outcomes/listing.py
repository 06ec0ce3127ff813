"""The outcomes page's lists: recorded outcomes and submitted imports, searched and filtered."""

from datetime import date
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, selectinload

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.outcomes.models import Outcome, OutcomeImport
from pojo.outcomes.policy import APPROVE_IMPORTS
from pojo.pagination import Pagination, paginate
from pojo.people.models import Employee
from pojo.people.service import visible_records
from pojo.policy import can
from pojo.search import matching, within_days

# An import's status as the filter names it, and the condition that selects it.
IMPORT_STATUSES = {
    "pending": lambda: (
        OutcomeImport.submitted_at.is_not(None),
        OutcomeImport.applied_at.is_(None),
        OutcomeImport.rejected_at.is_(None),
    ),
    "applied": lambda: (OutcomeImport.applied_at.is_not(None),),
    "rejected": lambda: (OutcomeImport.rejected_at.is_not(None),),
}


class OutcomeFilter(NamedTuple):
    """The outcomes page's search and filters; None means "any"."""

    text: str | None = None
    team_id: int | None = None
    kind: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None


def outcomes_page(actor: Employee, page: int, filters: OutcomeFilter | None = None) -> Pagination:
    """One page of the outcomes the actor may see, as filtered, newest first.

    A search matches each word in the employee's name or username or the
    outcome's external id; the dates are the days the outcomes occurred. A
    supervisor sees their teams' outcomes, HR and admin everyone's.
    """
    filters = filters or OutcomeFilter()
    query = (
        select(Outcome)
        .options(
            selectinload(Outcome.employee),
            selectinload(Outcome.recorded_by),
            selectinload(Outcome.award).selectinload(Award.criterion),
            selectinload(Outcome.outcome_import).selectinload(OutcomeImport.decided_by),
        )
        .join(Employee, Employee.id == Outcome.employee_id)
        .where(
            visible_records(actor, team=Employee.team_id, employee=Outcome.employee_id),
            matching(filters.text, Employee.display_name, Employee.username, Outcome.external_id),
            *within_days(Outcome.occurred_at, filters.since, filters.until),
        )
        .order_by(Outcome.id.desc())
    )
    if filters.team_id is not None:
        query = query.where(Employee.team_id == filters.team_id)
    if filters.kind:
        query = query.where(Outcome.kind == filters.kind)
    return paginate(query, page)


def recent_imports(
    actor: Employee, filters: OutcomeFilter | None = None, limit: int = 20
) -> list[OutcomeImport]:
    """Submitted and decided imports, newest first: all for HR and admin, their own for others.

    A search matches the file's name or the name of who submitted it; the
    dates are the days they were submitted.
    """
    filters = filters or OutcomeFilter()
    uploader = aliased(Employee)
    query = (
        select(OutcomeImport)
        .join(uploader, uploader.id == OutcomeImport.uploaded_by_id)
        .where(
            or_(OutcomeImport.submitted_at.is_not(None), OutcomeImport.applied_at.is_not(None)),
            matching(filters.text, OutcomeImport.filename, uploader.display_name),
            *within_days(OutcomeImport.submitted_at, filters.since, filters.until),
        )
        .options(selectinload(OutcomeImport.uploaded_by), selectinload(OutcomeImport.decided_by))
        .order_by(OutcomeImport.id.desc())
        .limit(limit)
    )
    if filters.status:
        query = query.where(*IMPORT_STATUSES[filters.status]())
    if filters.team_id is not None:
        query = query.where(uploader.team_id == filters.team_id)
    if not can(actor, APPROVE_IMPORTS):
        query = query.where(OutcomeImport.uploaded_by_id == actor.id)
    return list(db.session.scalars(query))
