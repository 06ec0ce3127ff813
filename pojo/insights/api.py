"""HR's segments in API v1: every participant's label with the figures and the sentence behind it."""

from flask import jsonify

from pojo import bounds
from pojo.api import Items, Nested, Number, Schema, Text, Whole, api_blueprint
from pojo.insights import service
from pojo.insights.policy import VIEW_INSIGHTS
from pojo.insights.segments import CODES
from pojo.people.models import Employee

bp = api_blueprint("insights_api", __name__)

WINDOW_DAYS = bounds.Bound(1, 3650)
COUNT = bounds.Bound(0, bounds.INT32.maximum)


class SegmentsQuery(Schema):
    window_days = Whole(
        WINDOW_DAYS, text=True, required=False, description="days before now (default 365)"
    )


class Summary(Schema):
    impulse = Whole(COUNT)
    saver = Whole(COUNT)
    balanced = Whole(COUNT)
    dormant = Whole(COUNT)
    new = Whole(COUNT)


class EmployeeSegment(Schema):
    username = Text(64)
    segment = Text(16, description=" | ".join(CODES))
    reason = Text(500, description="the sentence that explains the label, in the caller's language")
    redemptions_per_year = Number()
    median_days_to_redeem = Number(
        allow_none=True, description="from the points sufficing to the redemption; null: none"
    )
    median_balance = Number(description="the balance carried, time-weighted over the window")
    employment_type = Text(16, description="permanent | temp")
    team = Text(80, allow_none=True)


class Segments(Schema):
    window_days = Whole(WINDOW_DAYS)
    summary = Nested(Summary)
    employees = Items(Nested(EmployeeSegment), max_items=bounds.INT32.maximum)


@bp.route("/insights/segments")
@bp.api_view(VIEW_INSIGHTS, query=SegmentsQuery, response=Segments, errors=(403,))
def segments(caller: Employee, query: dict):
    """Every participant's segment over the window (HR and admin)."""
    report = service.segments_for(caller, query.get("window_days", 365))
    # Ready JSON: thousands of rows, shaped here rather than dumped field by field.
    return jsonify(
        {
            "window_days": report.window_days,
            "summary": report.summary(),
            "employees": [_row(row) for row in report.employees],
        }
    )


def _row(row) -> dict:
    features = row.segment.features
    return {
        "username": row.username,
        "segment": row.segment.code,
        "reason": service.explain(row.segment),
        "redemptions_per_year": features.redemptions_per_year,
        "median_days_to_redeem": features.median_days_to_redeem,
        "median_balance": features.median_balance,
        "employment_type": row.employment_type,
        "team": row.team,
    }
