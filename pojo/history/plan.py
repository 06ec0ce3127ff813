"""Planning a history import: which rows are fine, and which are refused and why.

Nothing is written. Every row is checked against today's data: the employee
exists, is not the importing user, the reward's name is known (or becomes a
new archived reward), and, evaluated in time order together with the
employee's existing entries, no balance ever goes below zero. Because the
ledger stores entries in id order and the imported ones are appended after
the existing ones, the balance must also stay at zero or above when the
imported rows are added after today's balance (`flask ledger verify` checks
that order too).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from flask_babel import gettext as _
from sqlalchemy import func, select

from pojo.extensions import db
from pojo.formatting import format_points
from pojo.history.csvrows import HistoryRow
from pojo.ledger.models import Balance, LedgerEntry
from pojo.market.models import Reward
from pojo.outcomes.service import Rejection
from pojo.people.models import Employee


@dataclass
class HistoryPlan:
    # Accepted rows with their employee ids: employee by employee (in id order), each one's
    # in time order (then line order), the order they are written in.
    rows: list[tuple[HistoryRow, int]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    # lower-case reward name -> reward id; None: a new archived reward
    rewards: dict[str, int | None] = field(default_factory=dict)
    # The name as first written, for the new ones.
    new_rewards: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _sums(self) -> tuple[int, int, int, int]:
        """(awards, redemptions, points awarded, points redeemed), counted once: read after the
        plan is made, and a million rows are worth one pass, not one per figure."""
        awards = redemptions = awarded = redeemed = 0
        for row, _e in self.rows:
            if row.kind == "award":
                awards += 1
                awarded += row.points
            else:
                redemptions += 1
                redeemed += row.points
        return awards, redemptions, awarded, redeemed

    @property
    def awards(self) -> int:
        return self._sums[0]

    @property
    def redemptions(self) -> int:
        return self._sums[1]

    @property
    def points_awarded(self) -> int:
        return self._sums[2]

    @property
    def points_redeemed(self) -> int:
        return self._sums[3]

    @property
    def employees(self) -> int:
        return len({employee_id for _r, employee_id in self.rows})


def _employees(usernames: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    names = sorted(usernames)
    for start in range(0, len(names), 1000):
        rows = db.session.execute(
            select(Employee.username, Employee.id).where(
                Employee.username.in_(names[start : start + 1000])
            )
        )
        found.update(rows.all())
    return found


def _reward_names() -> dict[str, tuple[int, str]]:
    """Every reward's names (Finnish and English), lower-cased, to its id and kind: the oldest
    wins."""
    names: dict[str, tuple[int, str]] = {}
    for reward_id, name_en, name_fi, kind in db.session.execute(
        select(Reward.id, Reward.name_en, Reward.name_fi, Reward.kind).order_by(Reward.id.desc())
    ):
        names[" ".join(name_fi.split()).lower()] = (reward_id, kind)
        names[" ".join(name_en.split()).lower()] = (reward_id, kind)
    return names


def _existing(employee_ids: list[int]) -> tuple[dict[int, int], dict[int, list]]:
    """Today's balances, and the existing entries (at, points) in time order, of these employees."""
    balances: dict[int, int] = {}
    entries: dict[int, list] = defaultdict(list)
    for start in range(0, len(employee_ids), 1000):
        chunk = employee_ids[start : start + 1000]
        balances.update(
            db.session.execute(
                select(Balance.employee_id, Balance.points).where(Balance.employee_id.in_(chunk))
            ).all()
        )
        has = db.session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.employee_id.in_(chunk))
        )
        if not has:
            continue
        for employee_id, at, points in db.session.execute(
            select(LedgerEntry.employee_id, LedgerEntry.at, LedgerEntry.points)
            .where(LedgerEntry.employee_id.in_(chunk))
            .order_by(LedgerEntry.employee_id, LedgerEntry.at, LedgerEntry.id)
        ):
            entries[employee_id].append((at, points))
    return balances, entries


def _negative(row: HistoryRow, balance: int) -> Rejection:
    return Rejection(
        row.line,
        "negative_balance",
        _(
            "%(employee)s's balance would go to %(balance)s at %(at)s: the redemption needs more points than were earned by then.",
            employee=row.employee,
            balance=format_points(balance),
            at=row.at.isoformat(timespec="minutes"),
        ),
    )


def _check_balances(plan: HistoryPlan) -> None:
    """Reject the rows that make a balance negative, in time order with the existing entries."""
    ids = sorted({employee_id for _r, employee_id in plan.rows})
    balances, existing = _existing(ids)
    running: dict[int, int] = defaultdict(int)  # in time order, with the existing entries
    stored: dict[int, int] = {i: balances.get(i, 0) for i in ids}  # appended after them
    cursor: dict[int, int] = defaultdict(int)
    refused: set[int] = set()
    last_line: dict[int, HistoryRow] = {}
    for row, employee_id in plan.rows:
        before = existing.get(employee_id)
        if before:
            index = cursor[employee_id]
            while index < len(before) and before[index][0] <= row.at:
                running[employee_id] += before[index][1]
                index += 1
            cursor[employee_id] = index
        points = row.points if row.kind == "award" else -row.points
        if running[employee_id] + points < 0 or stored[employee_id] + points < 0:
            plan.rejected.append(
                _negative(row, min(running[employee_id], stored[employee_id]) + points)
            )
            refused.add(row.line)
            continue
        running[employee_id] += points
        stored[employee_id] += points
        last_line[employee_id] = row
    # Existing spending after the imported rows must still be covered.
    for employee_id, before in existing.items():
        total = running[employee_id]
        for _at, points in before[cursor[employee_id] :]:
            total += points
            if total < 0 and employee_id in last_line:
                plan.rejected.append(_negative(last_line[employee_id], total))
                refused.add(last_line[employee_id].line)
                break
    if refused:
        plan.rows = [(row, e) for row, e in plan.rows if row.line not in refused]


# (at, line): a row's place in time order, read by C rather than a lambda a row.
_TIME_ORDER = itemgetter(2, 0)
_EMPLOYEE = itemgetter(1)


def plan_history(rows: list[HistoryRow], actor: Employee | None) -> HistoryPlan:
    """What importing these parsed rows as `actor` (None: the operator) would do."""
    plan = HistoryPlan()
    employees = _employees({row.employee for row in rows})
    names = _reward_names()
    own = actor.username if actor is not None else None
    for row in sorted(rows, key=_TIME_ORDER):
        employee_id = employees.get(row.employee)
        if employee_id is None:
            plan.rejected.append(
                Rejection(
                    row.line,
                    "unknown_employee",
                    _("No employee with the username %(username)s.", username=row.employee),
                )
            )
            continue
        if row.employee == own:
            plan.rejected.append(
                Rejection(
                    row.line,
                    "self_award",
                    _("This row is about you: nobody imports their own history."),
                )
            )
            continue
        if row.kind == "redemption":
            key = row.reward.lower()
            reward_id, kind = names.get(key, (None, "standard"))
            if kind != "standard":
                # A shift swap is a swap on the board, not a past purchase: none to import.
                plan.rejected.append(
                    Rejection(
                        row.line,
                        "swap_reward",
                        _(
                            "A shift swap cannot be imported as a past redemption: it needs its shift."
                        ),
                    )
                )
                continue
            if key not in plan.rewards:
                plan.rewards[key] = reward_id
                if reward_id is None:
                    plan.new_rewards[key] = row.reward
        plan.rows.append((row, employee_id))
    _check_balances(plan)
    used = {row.reward.lower() for row, _e in plan.rows if row.kind == "redemption"}
    plan.rewards = {key: value for key, value in plan.rewards.items() if key in used}
    plan.new_rewards = {key: value for key, value in plan.new_rewards.items() if key in used}
    # Written employee by employee (a stable sort keeps each one's time order): the ledger's
    # (employee, ...) indexes then grow in order instead of at 5,000 places at once, which cut
    # the server's CPU for a million rows by a third. Each balance still sees its rows in time
    # order, which is the order `ledger verify` checks (by id, per employee).
    plan.rows.sort(key=_EMPLOYEE)
    return plan
