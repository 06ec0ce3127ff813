"""Outcomes into points: the rules, and planning a batch before anything is written.

Planning sorts a batch into new outcomes (with the rule each earns),
duplicates and rejections with a reason. It is set-based so that a
50,000-row file takes seconds: employees, known external ids and rules are
looked up once per batch. `pojo.outcomes.recording` writes what a plan says.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from pojo.audit import service as audit
from pojo.awards.models import Criterion
from pojo.awards.service import get_criterion
from pojo.database import utcnow
from pojo.errors import InvalidInput
from pojo.extensions import db
from pojo.outcomes import rules
from pojo.outcomes.models import Outcome, OutcomeRule
from pojo.outcomes.policy import EDIT_RULES, RECORD_OUTCOMES
from pojo.people.models import Employee
from pojo.people.policy import SUPERVISE_TEAM
from pojo.policy import can, require

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
    require(actor, EDIT_RULES)
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
    before = None if rule is None else _rule_state(rule)
    if rule is None:
        rule = OutcomeRule()
        db.session.add(rule)
    rule.kind = kind
    rule.min_score = min_score
    rule.max_score = max_score
    rule.criterion = criterion
    rule.active = active
    db.session.flush()
    after = _rule_state(rule)
    if after != before:
        label = f"{kind} {min_score}–{max_score} → {criterion.code}"
        audit.record(
            actor,
            "rule.edited" if before else "rule.created",
            audit.Subject("rule", rule.id, label),
            before,
            after,
        )
    return rule


def _rule_state(rule: OutcomeRule) -> dict:
    """What the audit log keeps of a rule around HR's change."""
    return {
        **audit.snapshot(rule, ("kind", "min_score", "max_score", "active")),
        "criterion": rule.criterion.code,
    }


class _Known(NamedTuple):
    """What planning needs of an employee a batch names."""

    id: int
    active: bool
    team_id: int | None


def _employees_by_username(usernames: list[str]) -> dict[str, _Known]:
    found = {}
    for start in range(0, len(usernames), CHUNK):
        chunk = usernames[start : start + CHUNK]
        query = select(Employee.username, Employee.id, Employee.active, Employee.team_id).where(
            Employee.username.in_(chunk)
        )
        for username, *known in db.session.execute(query):
            found[username] = _Known(*known)
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


@dataclass(frozen=True)
class _Limits:
    """What a batch's rows are checked against: who records it, whose rows, and when."""

    own_teams: set[int] | None  # a supervisor's teams; None: anyone's
    recorders: set[int]  # who records or approves the batch: they earn nothing from it
    earliest: datetime
    latest: datetime


def _username(item: OutcomeInput) -> str:
    return item.employee.strip().lower()


class _Check(NamedTuple):
    """One reason to leave a row out: its code, when it applies, and how it reads."""

    reason: str
    applies: Callable[[OutcomeInput, _Known | None, _Limits], bool]
    message: Callable[[OutcomeInput], str]


# In order: a row is left out for the first that applies. After the first, the employee is known.
_CHECKS = (
    _Check(
        "unknown_employee",
        lambda item, employee, limits: employee is None,
        lambda item: _("No employee with the username %(username)s.", username=item.employee[:64]),
    ),
    _Check(
        "inactive_employee",
        lambda item, employee, limits: not employee.active,
        lambda item: _("%(username)s is not active.", username=_username(item)),
    ),
    _Check(
        "self_award",
        lambda item, employee, limits: employee.id in limits.recorders,
        lambda item: _("Nobody earns points from outcomes they record themselves."),
    ),
    _Check(
        "not_in_team",
        lambda item, employee, limits: (
            limits.own_teams is not None and employee.team_id not in limits.own_teams
        ),
        lambda item: _("%(username)s is not in a team you supervise.", username=_username(item)),
    ),
    _Check(
        "in_future",
        lambda item, employee, limits: item.occurred_at > limits.latest,
        lambda item: _("occurred_at is in the future."),
    ),
    _Check(
        "too_old",
        lambda item, employee, limits: item.occurred_at < limits.earliest,
        lambda item: _("occurred_at is more than %(days)s days ago.", days=max_age().days),
    ),
)


def _rejection(item: OutcomeInput, employee: _Known | None, limits: _Limits) -> Rejection | None:
    """Why the row is left out (the first check that applies), or None when it is recorded."""
    for check in _CHECKS:
        if check.applies(item, employee, limits):
            return Rejection(item.position, check.reason, check.message(item))
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
    if actor is not None:
        require(actor, RECORD_OUTCOMES)
    employees = _employees_by_username(sorted({_username(item) for item in inputs}))
    recorded = _recorded_external_ids(sorted({item.external_id for item in inputs}))
    in_force = active_rules()
    now = at or utcnow()
    limits = _Limits(
        own_teams=(
            {team.id for team in actor.supervised_teams}
            if actor is not None and can(actor, SUPERVISE_TEAM)
            else None
        ),
        recorders={person.id for person in (actor, approver) if person is not None},
        earliest=now - max_age(),
        latest=now + FUTURE_TOLERANCE,
    )
    plan = Plan()
    seen: set[str] = set()
    for item in inputs:
        if item.external_id in recorded or item.external_id in seen:
            plan.duplicates += 1
            continue
        employee = employees.get(_username(item))
        rejection = _rejection(item, employee, limits)
        if rejection is not None:
            plan.rejected.append(rejection)
            continue
        seen.add(item.external_id)
        plan.new.append(
            Planned(
                input=item,
                employee_id=employee.id,
                username=_username(item),
                team_id=employee.team_id,
                rule=rules.best_rule(in_force, item.kind, item.score),
            )
        )
    return plan
