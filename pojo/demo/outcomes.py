"""The demo's outcome step: the contact-centre system posts each day's outcomes at night.

It goes through the outcome service, so the default rules decide what
earns points; `at=` dates the outcomes, awards and ledger entries at the
import's simulated time.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from pojo.outcomes.recording import record_outcomes
from pojo.outcomes.service import OutcomeInput
from pojo.people.models import Employee


@dataclass(frozen=True)
class Measured:
    """One outcome as the contact-centre system measured it."""

    external_id: str
    username: str
    kind: str
    score: int | None
    occurred_at: datetime


def import_day(actor: Employee, measured: list[Measured], at: datetime) -> Counter:
    """Record a day's outcomes at `at`; returns the points each username earned."""
    inputs = [
        OutcomeInput(
            index, item.external_id, item.username, item.kind, item.score, item.occurred_at
        )
        for index, item in enumerate(measured)
    ]
    recorded = record_outcomes(actor, inputs, "api", at=at)
    earned: Counter = Counter()
    for _position, username, _criterion, points in recorded.awards:
        earned[username] += points
    return earned
