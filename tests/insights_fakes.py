"""Segment reports for the dashboard's tests, without the segments' SQL.

The dashboard reads `pojo.insights.service.segment_report`; these tests pin
who sees what and how the page groups labels, so they give each employee the
label a test chooses: the real service's `segment_report` is replaced for
the test.
"""

from datetime import datetime

from sqlalchemy import select

from pojo.extensions import db
from pojo.insights.segments import Features, Segment, Thresholds
from pojo.insights.service import EmployeeSegment, SegmentReport
from pojo.people.models import Employee, Team


def features(per_year: float = 6.0) -> Features:
    return Features(
        history_days=300, earned=500, redemptions=int(per_year), redemptions_per_year=per_year,
        median_days_to_redeem=3.0, median_balance=40.0, upper_third_share=0.2,
        days_since_redemption=10, cheapest_price=100, lower_third_price=150,
    )  # fmt: skip


def install_labels(monkeypatch, labels: dict[str, str], calls: list | None = None):
    """Every employee gets labels[username] (default balanced) from segment_report."""

    def segment_report(window_days: int = 365, at: datetime | None = None, stamp=None):
        if calls is not None:
            calls.append((window_days, at))
        rows = db.session.execute(
            select(Employee, Team.name).outerjoin(Team, Team.id == Employee.team_id)
        ).all()
        return SegmentReport(
            window_days, at, Thresholds(),
            tuple(
                EmployeeSegment(
                    e.id, e.username, e.display_name, e.team_id, team, e.employment_type,
                    e.agency_name,
                    Segment(labels.get(e.username, "balanced"), features(), "redemptions_per_year"),
                )
                for e, team in rows
            ),
        )  # fmt: skip

    import pojo.insights.service as service

    monkeypatch.setattr(service, "segment_report", segment_report)
