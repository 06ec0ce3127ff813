"""Recording a planned batch of outcomes: the rows, the awards their rules earn, the notices.

Set-based so that a 50,000-row file takes seconds: outcomes are inserted
with ON CONFLICT DO NOTHING (a concurrent import of the same rows records
them once), points move through ledger.post_credits, and awards and the
links between them are written a statement each. Awards from outcomes
count against no team budget; their ledger kind is "outcome".
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update

from pojo.awards.models import Award, Criterion
from pojo.database import upsert, utcnow
from pojo.extensions import db
from pojo.ledger import service as ledger
from pojo.ledger.models import LedgerEntry
from pojo.notifications.service import link_to, notify_many
from pojo.outcomes.models import Outcome
from pojo.outcomes.service import OutcomeInput, Plan, Planned, Rejection, plan_outcomes
from pojo.people.models import Employee


@dataclass
class Recorded:
    accepted: int
    duplicates: int
    points_awarded: int
    rejected: list[Rejection]
    # (position, username, criterion code, points) of each award made
    awards: list[tuple[int, str, str, int]]


def _insert_outcomes_once(rows: list[dict]) -> dict[str, int]:
    """Insert outcome rows, skipping external ids already stored; external_id -> new id."""
    if not rows:
        return {}
    table = Outcome.__table__
    statement = (
        upsert(db.session.get_bind(), table)
        .on_conflict_do_nothing(index_elements=["external_id"])
        .returning(table.c.id, table.c.external_id)
    )
    return {
        external_id: outcome_id for outcome_id, external_id in db.session.execute(statement, rows)
    }


def _note(item: OutcomeInput) -> str:
    score = "" if item.score is None else f" {item.score}"
    return f"{item.kind}{score} · {item.external_id}"[:500]


def apply_plan(
    actor: Employee | None,
    plan: Plan,
    source: str,
    *,
    at: datetime | None = None,
    import_id: int | None = None,
) -> Recorded:
    """Record the plan's new outcomes, make the awards their rules earn, tell who earned.

    Each employee who earned points gets one notification for the batch,
    however many rows were theirs. `at` dates the recording, the awards,
    their ledger entries and the notifications when it is not now (demo
    data and history imports).
    """
    recorded_at = at or utcnow()
    # A fixed order: concurrent imports of overlapping files wait for each other, never deadlock.
    ordered = sorted(plan.new, key=lambda planned: planned.input.external_id)
    inserted = _insert_outcomes_once(
        [
            {
                "external_id": planned.input.external_id,
                "employee_id": planned.employee_id,
                "kind": planned.input.kind,
                "score": planned.input.score,
                "occurred_at": planned.input.occurred_at,
                "recorded_at": recorded_at,
                "source": source,
                "recorded_by_id": actor.id if actor else None,
                "import_id": import_id,
                "rule_id": planned.rule.id if planned.rule else None,
                "award_id": None,
            }
            for planned in ordered
        ]
    )
    # Rows a concurrent import stored first are its duplicates, not ours to award.
    won = [planned for planned in ordered if planned.input.external_id in inserted]
    earning = [planned for planned in won if planned.rule is not None]
    if earning:
        _award(earning, inserted, recorded_at)
        _tell_earners(earning, recorded_at)
    # Expire what the ORM holds: bulk statements bypassed it.
    db.session.expire_all()
    awards = sorted(
        (planned.input.position, planned.username, planned.rule.criterion, planned.rule.points)
        for planned in earning
    )
    return Recorded(
        accepted=len(won),
        duplicates=plan.duplicates + len(ordered) - len(won),
        points_awarded=sum(planned.rule.points for planned in earning),
        rejected=plan.rejected,
        awards=awards,
    )


def _award(earning: list[Planned], outcome_ids: dict[str, int], at: datetime) -> None:
    """Credit each earning outcome's points and make its award, in a few set-based statements.

    The ledger entries come first (post_credits keeps the balances), then the
    awards pointing at them; each entry's reference and each outcome's award
    are filled in once both exist.
    """
    entry_ids = ledger.post_credits(
        [
            ledger.Credit(planned.employee_id, planned.rule.points, _note(planned.input))
            for planned in earning
        ],
        "outcome",
        at=at,
    )
    criteria = dict(db.session.execute(select(Criterion.code, Criterion.id)).all())
    award_table = Award.__table__
    award_ids = list(
        db.session.scalars(
            award_table.insert().returning(award_table.c.id, sort_by_parameter_order=True),
            [
                {
                    "employee_id": planned.employee_id,
                    "criterion_id": criteria[planned.rule.criterion],
                    "points": planned.rule.points,
                    "note": _note(planned.input),
                    "source": "outcome",
                    "awarded_by_id": None,
                    "team_id": planned.team_id,
                    "entry_id": entry_id,
                    "request_id": None,
                    "created_at": at,
                }
                for planned, entry_id in zip(earning, entry_ids, strict=True)
            ],
        )
    )
    references = [f"award:{award_id}" for award_id in award_ids]
    _fill(LedgerEntry.__table__.c.reference, zip(entry_ids, references, strict=True))
    outcomes = [outcome_ids[planned.input.external_id] for planned in earning]
    _fill(Outcome.__table__.c.award_id, zip(outcomes, award_ids, strict=True))


def _fill(column, values) -> None:
    """Set `column` of many rows, one statement: `values` are (row id, value) pairs."""
    table = column.table
    db.session.execute(
        update(table).where(table.c.id == bindparam("row_id")).values({column: bindparam("value")}),
        [{"row_id": row_id, "value": value} for row_id, value in values],
    )


def _tell_earners(earning: list[Planned], at: datetime) -> None:
    """One notification per employee: how many points from how many outcomes."""
    outcomes: Counter = Counter()
    points: Counter = Counter()
    for planned in earning:
        outcomes[planned.employee_id] += 1
        points[planned.employee_id] += planned.rule.points
    notify_many(
        "outcome_points",
        [
            (employee_id, {"points": points[employee_id], "outcomes": outcomes[employee_id]})
            for employee_id in sorted(outcomes)
        ],
        link=link_to("ledger.wallet"),
        at=at,
    )


def record_outcomes(
    actor: Employee | None,
    inputs: list[OutcomeInput],
    source: str,
    *,
    at: datetime | None = None,
) -> Recorded:
    """Record a batch; new outcomes that match a rule earn its criterion's points once.

    `at` backdates the recording, awards and ledger entries (demo data and
    history imports); None is now.
    """
    return apply_plan(actor, plan_outcomes(actor, inputs, at=at), source, at=at)
