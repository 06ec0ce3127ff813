"""The demo's outcome step: the contact-centre system posts each day's outcomes at night.

It goes through the outcome service, so the default rules decide what
earns points. The service dates what it records "now" (it has no `at=`),
so the rows of this batch, the only ones dated after the simulated
present, are dated back to the import's simulated time in the same
transaction: what `at=` would have done.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.outcomes.models import Outcome
from pojo.outcomes.service import OutcomeInput, record_outcomes
from pojo.people.models import Employee


@dataclass(frozen=True)
class Measured:
    """One outcome as the contact-centre system measured it."""

    external_id: str
    username: str
    kind: str
    score: int | None
    occurred_at: datetime


def import_day(actor: Employee, measured: list[Measured], at: datetime, present: datetime):
    """Record a day's outcomes at `at`; returns the points each username earned.

    `present` is the real time the simulation started: every row dated
    after it was written by this import.
    """
    inputs = [
        OutcomeInput(
            index, item.external_id, item.username, item.kind, item.score, item.occurred_at
        )
        for index, item in enumerate(measured)
    ]
    recorded = record_outcomes(actor, inputs, "api")
    for column, where in (
        (LedgerEntry.at, LedgerEntry.kind == "outcome"),
        (Award.created_at, Award.source == "outcome"),
        (Outcome.recorded_at, Outcome.recorded_by_id == actor.id),
    ):
        # The service wrote these rows past the ORM and expired it: nothing in memory to sync.
        db.session.execute(
            update(column.class_).where(column > present, where).values({column.key: at}),
            execution_options={"synchronize_session": False},
        )
    earned: Counter = Counter()
    for _position, username, _criterion, points in recorded.awards:
        earned[username] += points
    return earned
