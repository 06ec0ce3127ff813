"""POST /api/v1/outcomes: a contact-centre system reports outcomes, once however often it retries."""

from pojo.api import Array, Integer, Object, String, Timestamp, TooLarge, api_blueprint, api_view
from pojo.outcomes import recording, rules, service

bp = api_blueprint("outcomes_api", __name__)

MAX_OUTCOMES = 1000

OUTCOME = Object(
    {
        "external_id": String(
            max_length=128, description="the source system's id; repeats are ignored"
        ),
        "employee": String(max_length=64, description="username"),
        "kind": String(
            max_length=32, pattern="^[a-z][a-z0-9_]{0,31}$", description="nps, fcr, ..."
        ),
        "score": Integer(minimum=rules.SCORE_MIN, maximum=rules.SCORE_MAX, nullable=True),
        "occurred_at": Timestamp(description="RFC 3339, with its UTC offset"),
    },
    optional=("score",),
)

OUTCOMES_REQUEST = Object({"outcomes": Array(OUTCOME, max_items=MAX_OUTCOMES, too_many=TooLarge)})

OUTCOMES_RESULT = Object(
    {
        "accepted": Integer(minimum=0, description="new outcomes recorded"),
        "duplicates": Integer(minimum=0, description="external ids already recorded"),
        "points_awarded": Integer(minimum=0),
        "rejected": Array(
            Object(
                {
                    "index": Integer(minimum=0),
                    "reason": String(
                        max_length=32,
                        description="unknown_employee, inactive_employee, self_award, too_old or in_future",
                    ),
                    "message": String(max_length=1000),
                }
            ),
            max_items=MAX_OUTCOMES,
        ),
        "awards": Array(
            Object(
                {
                    "index": Integer(minimum=0),
                    "employee": String(max_length=64),
                    "criterion": String(max_length=40),
                    "points": Integer(minimum=1),
                }
            ),
            max_items=MAX_OUTCOMES,
        ),
    }
)


@bp.route("/outcomes", methods=["POST"])
@api_view("hr", "admin", body=OUTCOMES_REQUEST, responses={200: OUTCOMES_RESULT})
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
