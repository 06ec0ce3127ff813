"""POST /api/v1/outcomes: a contact-centre system reports outcomes, once however often it retries."""

from pojo.api import Items, Nested, Schema, Text, Timestamp, TooLarge, Whole, api_blueprint
from pojo.bounds import Bound
from pojo.outcomes import recording, rules, service
from pojo.outcomes.policy import APPLY_OUTCOMES

bp = api_blueprint("outcomes_api", __name__)

MAX_OUTCOMES = 1000
COUNT = Bound(0, 2**31 - 1)


class Outcome(Schema):
    external_id = Text(128, description="the source system's id; repeats are ignored")
    employee = Text(64, description="username")
    kind = Text(32, pattern="^[a-z][a-z0-9_]{0,31}$", description="nps, fcr, ...")
    score = Whole(Bound(rules.SCORE_MIN, rules.SCORE_MAX), allow_none=True, required=False)
    occurred_at = Timestamp(description="RFC 3339, with its UTC offset")


class OutcomesRequest(Schema):
    outcomes = Items(Nested(Outcome), max_items=MAX_OUTCOMES, too_many=TooLarge)


class Rejected(Schema):
    index = Whole(COUNT)
    reason = Text(
        32, description="unknown_employee, inactive_employee, self_award, too_old or in_future"
    )
    message = Text(1000)


class Earned(Schema):
    index = Whole(COUNT)
    employee = Text(64)
    criterion = Text(40)
    points = Whole(Bound(1, COUNT.maximum))


class OutcomesResult(Schema):
    accepted = Whole(COUNT, description="new outcomes recorded")
    duplicates = Whole(COUNT, description="external ids already recorded")
    points_awarded = Whole(COUNT)
    rejected = Items(Nested(Rejected), max_items=MAX_OUTCOMES)
    awards = Items(Nested(Earned), max_items=MAX_OUTCOMES)


@bp.route("/outcomes", methods=["POST"])
@bp.api_view(APPLY_OUTCOMES, body=OutcomesRequest, response=OutcomesResult)
def post_outcomes(caller, body):
    """Record outcomes; those matching an outcome rule award its criterion's points.

    Only HR and admin tokens (the accounts integrations use) record outcomes;
    others get 403 `forbidden`. Idempotent by external_id: an outcome already
    recorded is counted in `duplicates` and awards nothing again. Rejected
    outcomes are listed in `rejected` by their index with a `reason`:
    unknown_employee, inactive_employee, self_award (naming the token's own
    account: nobody earns from outcomes they record), too_old (older than
    POJO_OUTCOME_MAX_AGE_DAYS, default 90) or in_future (more than 5 minutes
    ahead); the other outcomes are recorded. `awards` says which employee
    earned what; each earner is notified once per request. At most 1,000
    outcomes a request (413 beyond).
    """
    inputs = [
        service.OutcomeInput(
            position=index,
            external_id=item["external_id"],
            employee=item["employee"],
            kind=item["kind"],
            score=item.get("score"),
            occurred_at=item["occurred_at"],
        )
        for index, item in enumerate(body["outcomes"])
    ]
    recorded = recording.record_outcomes(caller, inputs, "api")
    return {
        "accepted": recorded.accepted,
        "duplicates": recorded.duplicates,
        "points_awarded": recorded.points_awarded,
        "rejected": [
            {"index": index, "reason": reason, "message": message}
            for index, reason, message in recorded.rejected
        ],
        "awards": [
            {"index": index, "employee": username, "criterion": code, "points": points}
            for index, username, code, points in recorded.awards
        ],
    }
