"""The criteria catalogue and awards in API v1."""

from pojo import bounds
from pojo.api import Schema, Text, Timestamp, Whole, api_blueprint
from pojo.awards import service
from pojo.awards.policy import AWARD
from pojo.people.models import Employee
from pojo.policy import EVERYONE

# operationIds as first published, when these endpoints lived in pojo.api.
bp = api_blueprint("awards_api", __name__, operation_prefix="api")

POINTS = Whole(bounds.Bound(1, bounds.INT32.maximum))


class Criterion(Schema):
    code = Text(40)
    name = Text(120)
    tier = Text(16, description="good or excellent")
    points = POINTS
    description = Text(100_000, min_length=0)


class AwardRequest(Schema):
    employee = Text(64, description="username")
    criterion = Text(40, description="criterion code")
    note = Text(500, description="what was good; the employee sees it")


class Award(Schema):
    id = Whole(bounds.ROW_ID)
    employee = Text(64, attribute="employee.username")
    criterion = Text(40, attribute="criterion.code")
    points = POINTS
    created_at = Timestamp()


@bp.route("/criteria")
@bp.api_view(EVERYONE, response=Criterion(many=True))
def criteria(caller: Employee):
    """The criteria catalogue: what earns points, and how many."""
    return [
        {
            "code": criterion.code,
            "name": criterion.name(caller.language),
            "tier": criterion.tier,
            "points": criterion.points,
            "description": criterion.description(caller.language),
        }
        for criterion in service.list_criteria()
    ]


@bp.route("/awards", methods=["POST"])
@bp.api_view(
    AWARD,
    body=AwardRequest,
    response=Award,
    status=201,
    errors=(403, 404, 422),
)
def create_award(caller: Employee, body: dict):
    """Award a criterion to an employee, by the same rules as the award form.

    403 for an employee outside the caller's teams (`not_in_team`) or an agent
    caller; 404 for an unknown employee or criterion; 422 `self_award`,
    `over_budget`, or an inactive employee or retired criterion.
    """
    return service.award(caller, body["employee"], body["criterion"], body["note"])
