"""Outcomes into points: rules, and recording outcomes idempotently in bulk.

Recording is set-based so that a 50,000-row file takes seconds: employees,
known external ids and rules are looked up once per batch, outcomes are
inserted with ON CONFLICT DO NOTHING (a concurrent import of the same rows
records them once), and points move through ledger.post_credits. Awards from
outcomes count against no team budget; their ledger kind is "outcome".
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import selectinload

from pojo.awards.models import Award, Criterion
from pojo.awards.service import get_criterion
from pojo.database import upsert, utcnow
from pojo.errors import Forbidden, InvalidInput
from pojo.extensions import db
from pojo.ledger import service as ledger
from pojo.ledger.models import LedgerEntry
from pojo.notifications.service import link_to, notify_many
from pojo.outcomes import rules
from pojo.outcomes.models import Outcome, OutcomeImport, OutcomeRule
from pojo.pagination import Pagination, paginate
from pojo.people.models import Employee
from pojo.people.service import visible_records

RULE_EDITORS = ("hr", "admin")
# Roles that may record outcomes; supervisors only for their own teams, and
# only once HR or admin approves their import.
RECORDERS = ("supervisor", "hr", "admin")
APPROVERS = ("hr", "admin")
# Clocks of other systems drift a little: an outcome up to this far ahead of
# the recording time is accepted, anything later is rejected as in_future.
FUTURE_TOLERANCE = timedelta(minutes=5)
CHUNK = 5000


class Rejection(NamedTuple):
    """A row left out: its CSV line or list index, a stable reason code, and why in words.

    Reasons: invalid (a field of the row), unknown_employee, inactive_employee,
    not_in_team, self_award, too_old, in_future.
    """

    position: int
    reason: str
    message: str


@dataclass(frozen=True)
class OutcomeInput:
    """One measured outcome as received; `position` is its CSV line or list index."""

    position: int
    external_id: str
    employee: str
    kind: str
    score: int | None
    occurred_at: datetime


@dataclass(frozen=True)
class Planned:
    input: OutcomeInput
    employee_id: int
    username: str
    team_id: int | None
    rule: rules.Rule | None


@dataclass
class Plan:
    """What recording a batch would do, computed without writing anything."""

    new: list[Planned] = field(default_factory=list)
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def points_awarded(self) -> int:
        return sum(planned.rule.points for planned in self.new if planned.rule)

    @property
    def unmatched(self) -> int:
        return sum(1 for planned in self.new if planned.rule is None)

    def points_by_employee(self) -> list[tuple[str, int, int]]:
        """(username, outcomes, points) per employee, most points first."""
        outcomes: Counter = Counter()
        points: Counter = Counter()
        for planned in self.new:
            outcomes[planned.username] += 1
            points[planned.username] += planned.rule.points if planned.rule else 0
        return sorted(
            ((name, outcomes[name], points[name]) for name in outcomes),
            key=lambda row: (-row[2], row[0]),
        )

    def matches_by_rule(self) -> list[tuple[rules.Rule, int]]:
        counts = Counter(planned.rule for planned in self.new if planned.rule)
        return sorted(counts.items(), key=lambda item: (item[0].kind, item[0].id))


@dataclass
class Recorded:
    accepted: int
    duplicates: int
    points_awarded: int
    rejected: list[Rejection]
    # (position, username, criterion code, points) of each award made
    awards: list[tuple[int, str, str, int]]


def active_rules() -> list[rules.Rule]:
    """Rules in force: active, pointing at a criterion still in use."""
    rows = db.session.execute(
        select(OutcomeRule, Criterion)
        .join(Criterion, Criterion.id == OutcomeRule.criterion_id)
        .where(OutcomeRule.active.is_(True), Criterion.active.is_(True))
    )
    return [
        rules.Rule(
            id=rule.id,
            kind=rule.kind,
            min_score=rule.min_score,
            max_score=rule.max_score,
            criterion=criterion.code,
            points=criterion.points,
        )
        for rule, criterion in rows
    ]


def list_rules(include_inactive: bool = False) -> list[OutcomeRule]:
    query = select(OutcomeRule).join(OutcomeRule.criterion)
    if not include_inactive:
        query = query.where(OutcomeRule.active.is_(True), Criterion.active.is_(True))
    query = query.order_by(OutcomeRule.kind, OutcomeRule.min_score.desc(), OutcomeRule.id)
    return list(db.session.scalars(query))


def save_rule(
    actor: Employee,
    rule: OutcomeRule | None,
    *,
    kind: str,
    min_score: int | None,
    max_score: int | None,
    criterion_code: str,
    active: bool,
) -> OutcomeRule:
    """Create or change an outcome rule (HR and admin)."""
    if actor.role not in RULE_EDITORS:
        raise Forbidden(_("Only HR and admin edit outcome rules."))
    kind = (kind or "").strip().lower()
    if not rules.valid_kind(kind):
        raise InvalidInput(
            _("The kind is a short lower-case code such as nps or fcr."), field="kind"
        )
    if not rules.valid_range(min_score, max_score):
        raise InvalidInput(
            _(
                "Scores are from %(min)s to %(max)s, and the lowest is not above the highest.",
                min=rules.SCORE_MIN,
                max=rules.SCORE_MAX,
            ),
            field="min_score",
        )
    criterion = get_criterion(criterion_code)
    if rule is None:
        rule = OutcomeRule()
        db.session.add(rule)
    rule.kind = kind
    rule.min_score = min_score
    rule.max_score = max_score
    rule.criterion = criterion
    rule.active = active
    db.session.flush()
    return rule


def _employees_by_username(usernames: list[str]) -> dict[str, tuple[int, bool, int | None]]:
    found = {}
    for start in range(0, len(usernames), CHUNK):
        chunk = usernames[start : start + CHUNK]
        query = select(Employee.username, Employee.id, Employee.active, Employee.team_id).where(
            Employee.username.in_(chunk)
        )
        for username, employee_id, active, team_id in db.session.execute(query):
            found[username] = (employee_id, active, team_id)
    return found


def _recorded_external_ids(external_ids: list[str]) -> set[str]:
    found = set()
    for start in range(0, len(external_ids), CHUNK):
        chunk = external_ids[start : start + CHUNK]
        found.update(
            db.session.scalars(select(Outcome.external_id).where(Outcome.external_id.in_(chunk)))
        )
    return found


def max_age() -> timedelta:
    """How old an outcome may be when it is recorded (POJO_OUTCOME_MAX_AGE_DAYS)."""
    return timedelta(days=current_app.config["OUTCOME_MAX_AGE_DAYS"])


def _reject(
    item: OutcomeInput,
    employee: tuple[int, bool, int | None] | None,
    *,
    own_teams: set[int] | None,
    recorders: set[int],
    latest: datetime,
    earliest: datetime,
) -> Rejection | None:
    username = item.employee.strip().lower()
    if employee is None:
        message = _("No employee with the username %(username)s.", username=item.employee[:64])
        return Rejection(item.position, "unknown_employee", message)
    if not employee[1]:
        message = _("%(username)s is not active.", username=username)
        return Rejection(item.position, "inactive_employee", message)
    if employee[0] in recorders:
        message = _("Nobody earns points from outcomes they record themselves.")
        return Rejection(item.position, "self_award", message)
    if own_teams is not None and employee[2] not in own_teams:
        message = _("%(username)s is not in a team you supervise.", username=username)
        return Rejection(item.position, "not_in_team", message)
    if item.occurred_at > latest:
        return Rejection(item.position, "in_future", _("occurred_at is in the future."))
    if item.occurred_at < earliest:
        message = _("occurred_at is more than %(days)s days ago.", days=max_age().days)
        return Rejection(item.position, "too_old", message)
    return None


def plan_outcomes(
    actor: Employee | None,
    inputs: list[OutcomeInput],
    *,
    at: datetime | None = None,
    approver: Employee | None = None,
) -> Plan:
    """Sort a batch into new outcomes (with the rule each earns), duplicates and rejections.

    `actor` records the batch; None is the command line's operator acting as
    nobody. Nobody earns from a batch they record or approve (`self_award`);
    a supervisor records their own teams' members only (`not_in_team`); an
    outcome must have occurred within POJO_OUTCOME_MAX_AGE_DAYS before the
    recording time (`at`, default now) and not after it, give or take
    FUTURE_TOLERANCE for clock skew (`too_old`, `in_future`).
    """
    if actor is not None and actor.role not in RECORDERS:
        raise Forbidden(_("Only supervisors, HR and admin record outcomes."))
    usernames = sorted({item.employee.strip().lower() for item in inputs})
    employees = _employees_by_username(usernames)
    recorded = _recorded_external_ids(sorted({item.external_id for item in inputs}))
    in_force = active_rules()
    own_teams = None
    if actor is not None and actor.role == "supervisor":
        own_teams = {team.id for team in actor.supervised_teams}
    recorders = {person.id for person in (actor, approver) if person is not None}
    now = at or utcnow()
    plan = Plan()
    seen: set[str] = set()
    for item in inputs:
        if item.external_id in recorded or item.external_id in seen:
            plan.duplicates += 1
            continue
        employee = employees.get(item.employee.strip().lower())
        rejection = _reject(
            item,
            employee,
            own_teams=own_teams,
            recorders=recorders,
            latest=now + FUTURE_TOLERANCE,
            earliest=now - max_age(),
        )
        if rejection is not None:
            plan.rejected.append(rejection)
            continue
        seen.add(item.external_id)
        plan.new.append(
            Planned(
                input=item,
                employee_id=employee[0],
                username=item.employee.strip().lower(),
                team_id=employee[2],
                rule=rules.best_rule(in_force, item.kind, item.score),
            )
        )
    return plan


def _insert_outcomes_once(rows: list[dict]) -> dict[str, int]:
    """Insert outcome rows, skipping external ids already stored; external_id -> new id."""
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
    criteria = dict(db.session.execute(select(Criterion.code, Criterion.id)).all())
    inserted = (
        _insert_outcomes_once(
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
        if ordered
        else {}
    )
    won = [planned for planned in ordered if planned.input.external_id in inserted]
    earning = [planned for planned in won if planned.rule is not None]
    awards: list[tuple[int, str, str, int]] = []
    if earning:
        entry_ids = ledger.post_credits(
            [
                ledger.Credit(planned.employee_id, planned.rule.points, _note(planned.input))
                for planned in earning
            ],
            "outcome",
            at=recorded_at,
        )
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
                        "created_at": recorded_at,
                    }
                    for planned, entry_id in zip(earning, entry_ids, strict=True)
                ],
            )
        )
        entries = LedgerEntry.__table__
        db.session.execute(
            update(entries)
            .where(entries.c.id == bindparam("entry"))
            .values(reference=bindparam("award_reference")),
            [
                {"entry": entry_id, "award_reference": f"award:{award_id}"}
                for entry_id, award_id in zip(entry_ids, award_ids, strict=True)
            ],
        )
        outcomes = Outcome.__table__
        db.session.execute(
            update(outcomes)
            .where(outcomes.c.id == bindparam("outcome"))
            .values(award_id=bindparam("award")),
            [
                {"outcome": inserted[planned.input.external_id], "award": award_id}
                for planned, award_id in zip(earning, award_ids, strict=True)
            ],
        )
        awards = [
            (planned.input.position, planned.username, planned.rule.criterion, planned.rule.points)
            for planned in earning
        ]
        awards.sort()
        _tell_earners(earning, recorded_at)
    # Expire what the ORM holds: bulk statements bypassed it.
    db.session.expire_all()
    return Recorded(
        accepted=len(won),
        duplicates=plan.duplicates + len(ordered) - len(won),
        points_awarded=sum(points for *_rest, points in awards),
        rejected=plan.rejected,
        awards=awards,
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


def recent_outcomes(actor: Employee, page: int) -> Pagination:
    """One page of the outcomes the actor may see, newest first: their teams' for supervisors."""
    query = (
        select(Outcome)
        .options(
            selectinload(Outcome.employee),
            selectinload(Outcome.recorded_by),
            selectinload(Outcome.award).selectinload(Award.criterion),
            selectinload(Outcome.outcome_import).selectinload(OutcomeImport.decided_by),
        )
        .join(Employee, Employee.id == Outcome.employee_id)
        .where(visible_records(actor, team=Employee.team_id, employee=Outcome.employee_id))
        .order_by(Outcome.id.desc())
    )
    return paginate(query, page)
