"""Segment reports for the dashboard's tests, without the segments' SQL.

The dashboard reads `pojo.insights.service.segment_report`; these tests pin
who sees what and how the page groups labels, so they give each employee the
label a test chooses: the real service's `segment_report` is replaced for
the test.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pojo.extensions import db
from pojo.insights.segments import CODES, Features, Segment, Thresholds
from pojo.people.models import Employee, Team


@dataclass(frozen=True)
class FakeEmployeeSegment:
    employee_id: int
    username: str
    display_name: str
    team_id: int | None
    team: str | None
    employment_type: str
    agency: str | None
    segment: Segment


@dataclass(frozen=True)
class FakeReport:
    window_days: int
    end: datetime
    thresholds: Thresholds
    employees: tuple

    def summary(self, rows=None) -> dict[str, int]:
        rows = self.employees if rows is None else rows
        return {code: sum(1 for r in rows if r.segment.code == code) for code in CODES}


def features(per_year: float = 6.0) -> Features:
    return Features(
        history_days=300, earned=500, redemptions=int(per_year), redemptions_per_year=per_year,
        median_days_to_redeem=3.0, median_balance=40.0, upper_third_share=0.2,
        days_since_redemption=10, cheapest_price=100, lower_third_price=150,
    )  # fmt: skip


def install_labels(monkeypatch, labels: dict[str, str], calls: list | None = None):
    """Every employee gets labels[username] (default balanced) from segment_report."""

    def segment_report(window_days: int = 365, at: datetime | None = None):
        if calls is not None:
            calls.append((window_days, at))
        rows = db.session.execute(
            select(Employee, Team.name).outerjoin(Team, Team.id == Employee.team_id)
        ).all()
        return FakeReport(
            window_days, at, Thresholds(),
            tuple(
                FakeEmployeeSegment(
                    e.id, e.username, e.display_name, e.team_id, team, e.employment_type,
                    e.agency_name,
                    Segment(labels.get(e.username, "balanced"), features(), "redemptions_per_year"),
                )
                for e, team in rows
            ),
        )  # fmt: skip

    import pojo.insights.service as service

    monkeypatch.setattr(service, "segment_report", segment_report)
