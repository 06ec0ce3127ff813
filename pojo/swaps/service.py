"""Shift swaps: a shift bought away with a shift-swap reward, taken by a colleague.

The life of a swap: requested with the redemption (`prepare_request`, the
market's hook for `shift_swap` rewards), open on the team's board, taken by
a colleague of the same team who may work it (`take`), approved where the
team wants that (`approve`, `turn_down`), and then covered: the shift moves
to the taker, who earns the "Covered a colleague's shift" criterion's points
from no supervisor's budget. Uncovered, it is withdrawn by its requester or
expired by the `swap_expiry` job; both refund the price with a compensating
entry. A deactivated requester's swaps are withdrawn the same way.

Locks, in this order: the swap row, then the people's rows (the shift
service's lock on a person's shifts), then balances inside `post_entry`.
Two colleagues taking one swap at once: the second waits for the first's
lock and then finds it taken.
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from pojo.audit import service as audit
from pojo.awards.models import Criterion
from pojo.database import utcnow
from pojo.errors import (
    AlreadyOnBoard,
    AlreadyTaken,
    Conflict,
    ContractEnded,
    Forbidden,
    InvalidInput,
    NotFound,
    NotYourShift,
    OtherTeam,
    OwnSwap,
    RestPeriod,
    ShiftOverlap,
    ShiftRequired,
    TooLate,
)
from pojo.extensions import db
from pojo.ledger.service import post_entry
from pojo.market import redemptions
from pojo.people.models import Employee, Team
from pojo.people.service import find_employee
from pojo.people.settings import Spec, define_setting, get_setting, set_setting
from pojo.policy import require
from pojo.rows import get_row, local_date, lock_row
from pojo.shifts import rules
from pojo.shifts.models import Shift
from pojo.shifts.service import shifts_near
from pojo.swaps import board, messages
from pojo.swaps.models import ACTIVE, REASON_MAX_LENGTH, Swap
from pojo.swaps.policy import APPROVE_SWAPS, SET_SWAP_RULES

COVER_CRITERION = "covered_shift"
DEADLINE_SETTING = "swap_deadline_hours"
REST_SETTING = "rest_period_hours"
define_setting(DEADLINE_SETTING, Spec(48, SET_SWAP_RULES, least=1, most=14 * 24))
# The daily rest of the Finnish Working Hours Act (872/2019, section 25): 11 hours.
define_setting(REST_SETTING, Spec(11, SET_SWAP_RULES, least=0, most=24))


def swap_deadline(shift: Shift) -> datetime:
    """The last moment a swap of `shift` may be requested or taken."""
    return shift.starts_at - timedelta(hours=int(get_setting(DEADLINE_SETTING)))


def minimum_rest() -> timedelta:
    return timedelta(hours=int(get_setting(REST_SETTING)))


def active_swap_of(shift_id: int) -> Swap | None:
    return db.session.scalar(select(Swap).where(Swap.shift_id == shift_id, Swap.status.in_(ACTIVE)))


# -- requesting: the market's hook for shift-swap rewards -----------------------------------


def _requestable(actor: Employee, shift_id, at: datetime) -> Shift:
    if shift_id is None:
        raise ShiftRequired(
            _("Choose the shift you want to swap away: one of your own coming shifts."),
            field="shift",
        )
    shift = get_row(Shift, shift_id) if isinstance(shift_id, int) else None
    if shift is None or shift.employee_id != actor.id:
        raise NotYourShift(_("That is not one of your shifts."), field="shift")
    # One change to a person's shifts at a time (pojo.shifts.service): the shift stays theirs.
    lock_row(Employee, actor.id)
    db.session.refresh(shift)
    if shift.employee_id != actor.id:
        raise NotYourShift(_("That is not one of your shifts."), field="shift")
    deadline = swap_deadline(shift)
    if at >= deadline:
        raise TooLate(messages.too_late(shift, deadline, at), field="shift")
    if active_swap_of(shift.id) is not None:
        raise AlreadyOnBoard(_("This shift is already on the swap board."), field="shift")
    return shift


def _colleague(actor: Employee, shift: Shift, offered_to) -> Employee | None:
    if offered_to in (None, ""):
        return None
    if isinstance(offered_to, str):
        found = find_employee(offered_to)
    else:
        found = get_row(Employee, offered_to) if isinstance(offered_to, int) else None
    if found is None or found.team_id != shift.team_id or not found.active:
        raise InvalidInput(
            _("Offer the shift to an active colleague of the shift's team."), field="offered_to"
        )
    if found.id == actor.id:
        raise InvalidInput(_("Offer the shift to someone else than yourself."), field="offered_to")
    return found


def prepare_request(actor: Employee, reward, details, at: datetime):
    """`Feature.reward_kinds["shift_swap"]`: check the shift before anything is charged."""
    shift = _requestable(actor, details.get("shift"), at)
    colleague = _colleague(actor, shift, details.get("offered_to"))

    def attach(redemption) -> None:
        swap = Swap(
            shift=shift,
            team_id=shift.team_id,
            redemption=redemption,
            requested_by=actor,
            offered_to=colleague,
            status="open",
            deadline=swap_deadline(shift),
            created_at=redemption.created_at,
        )
        db.session.add(swap)
        db.session.flush()
        if colleague is not None:
            messages.tell(colleague.id, "swap_offered", swap)

    return attach


# -- taking, approving, covering -------------------------------------------------------------


def _locked(swap_id: int) -> Swap:
    swap = lock_row(Swap, swap_id) if isinstance(swap_id, int) else None
    if swap is None:
        raise NotFound(_("No such swap."))
    return swap


def _check_fit(taker: Employee, shift: Shift) -> None:
    """The planner's rules for `taker` working `shift`, each refused with its own code."""
    span = rules.Span(shift.starts_at, shift.ends_at)
    rest = minimum_rest()
    own = [
        rules.Span(other.starts_at, other.ends_at)
        for other in shifts_near([taker.id], span.starts_at - rest, span.ends_at + rest)
        if other.id != shift.id
    ]
    ends_on = local_date(shift.ends_at - timedelta(microseconds=1))
    within = taker.contract_end is None or ends_on <= taker.contract_end
    problem, other = rules.take_problem(span, own, rest, within)
    if problem == "contract_ended":
        raise ContractEnded(messages.contract_ended(taker))
    if problem == "overlap":
        raise ShiftOverlap(messages.overlap(other))
    if problem == "rest_period":
        raise RestPeriod(messages.rest_period(other, rest))


def take(actor: Employee, swap_id: int, *, at: datetime | None = None) -> Swap:
    """Take an open swap of one's own team: covered at once, or awaiting approval where the
    team wants a supervisor to approve first."""
    now = at or utcnow()
    swap = _locked(swap_id)
    if swap.requested_by_id == actor.id:
        raise OwnSwap(_("This is your own swap; withdraw it instead."))
    if actor.team_id != swap.team_id:
        raise OtherTeam(_("This shift belongs to another team; only its own team takes it."))
    if swap.offered_to_id not in (None, actor.id):
        raise Forbidden(
            _("This shift is offered to %(name)s only.", name=swap.offered_to.display_name)
        )
    if swap.status != "open":
        raise AlreadyTaken(_("Someone took this shift first, or it is no longer on the board."))
    if not actor.active:
        raise Forbidden(_("Your account is not active."))
    if now >= swap.deadline:
        raise TooLate(_("The swap's deadline has passed; it can no longer be taken."))
    lock_row(Employee, actor.id)
    _check_fit(actor, swap.shift)
    swap.taken_by, swap.taken_at = actor, now
    if swap.team.swap_needs_approval:
        swap.status = "awaiting_approval"
        db.session.flush()
        messages.tell(swap.requested_by_id, "swap_awaiting", swap)
        for supervisor in swap.team.supervisors:
            messages.tell(supervisor.id, "swap_to_approve", swap)
        return swap
    return _cover(swap, None, now)


def _cover(swap: Swap, decider: Employee | None, now: datetime) -> Swap:
    """Move the shift to the taker, fulfil the redemption and pay the cover points."""
    shift = lock_row(Shift, swap.shift_id)
    shift.employee_id = swap.taken_by_id
    swap.status, swap.decided_by, swap.closed_at = "covered", decider, now
    redemptions.settle(
        swap.redemption_id,
        fulfilled=True,
        actor=decider,
        note=_("Covered by %(name)s", name=swap.taken_by.display_name),
        at=now,
    )
    criterion = db.session.scalar(select(Criterion).where(Criterion.code == COVER_CRITERION))
    if criterion is not None and criterion.active:
        swap.cover_entry = post_entry(
            swap.taken_by_id,
            criterion.points,
            "cover",
            actor=None,
            note=messages.cover_note(criterion),
            reference=f"swap:{swap.id}",
            at=now,
        )
    db.session.flush()
    messages.tell(swap.requested_by_id, "swap_covered", swap)
    messages.tell(swap.taken_by_id, "swap_you_cover", swap)
    return swap


def _decidable(actor: Employee, swap_id: int) -> Swap:
    swap = _locked(swap_id)
    require(actor, APPROVE_SWAPS, swap.team)
    if swap.status != "awaiting_approval":
        raise Conflict(_("This swap is not waiting for approval."))
    if actor.id in (swap.requested_by_id, swap.taken_by_id):
        raise Forbidden(_("You cannot decide a swap of your own."))
    return swap


def approve(actor: Employee, swap_id: int, *, at: datetime | None = None) -> Swap:
    """A supervisor approves a taken swap: the rules are checked again, then it is covered."""
    now = at or utcnow()
    swap = _decidable(actor, swap_id)
    if now >= swap.shift.starts_at:
        raise TooLate(_("The shift has begun; it can no longer be swapped."))
    lock_row(Employee, swap.taken_by_id)
    _check_fit(swap.taken_by, swap.shift)
    return _cover(swap, actor, now)


def turn_down(actor: Employee, swap_id: int, *, at: datetime | None = None) -> Swap:
    """A supervisor turns a take down: the shift goes back on the board for another colleague
    (or expires at once when its deadline has passed)."""
    now = at or utcnow()
    swap = _decidable(actor, swap_id)
    taker = swap.taken_by_id
    _reopen(swap)
    messages.tell(taker, "swap_turned_down", swap)
    if now >= swap.deadline:
        _close(swap, "expired", None, messages.expiry_note(), now)
    return swap


def _reopen(swap: Swap) -> None:
    """A take that will not happen: the swap is open on the board again."""
    swap.taken_by, swap.taken_at, swap.status = None, None, "open"
    db.session.flush()


# -- closing without cover: withdrawn or expired, refunded -----------------------------------


def _close(swap: Swap, status: str, actor: Employee | None, note: str, now: datetime) -> None:
    taker = swap.taken_by_id
    swap.status, swap.closed_at, swap.close_note = status, now, note[:REASON_MAX_LENGTH]
    swap.taken_by = swap.taken_at = None
    redemptions.settle(swap.redemption_id, fulfilled=False, actor=actor, note=note, at=now)
    db.session.flush()
    kind = "swap_expired" if status == "expired" else "swap_withdrawn"
    messages.tell(swap.requested_by_id, kind, swap)
    if taker is not None:
        messages.tell(taker, "swap_called_off", swap)


def withdraw(actor: Employee, swap_id: int, *, at: datetime | None = None) -> Swap:
    """The requester takes an uncovered swap back, with a full refund."""
    swap = _locked(swap_id)
    if swap.requested_by_id != actor.id:
        raise NotFound(_("No such swap."))
    if swap.status not in ACTIVE:
        raise Conflict(_("This swap is closed already: it was covered, withdrawn or expired."))
    _close(swap, "withdrawn", actor, messages.withdrawal_note(), at or utcnow())
    return swap


def expire_due(now: datetime) -> int:
    """The `swap_expiry` job: refund every swap nobody covered by its deadline (one awaiting
    approval has until its shift starts). Running it again finds nothing more to do."""
    due = db.session.scalars(
        select(Swap.id)
        .join(Shift, Shift.id == Swap.shift_id)
        .where(
            ((Swap.status == "open") & (Swap.deadline <= now))
            | ((Swap.status == "awaiting_approval") & (Shift.starts_at <= now))
        )
        .order_by(Swap.id)
    ).all()
    expired = 0
    for swap_id in due:
        swap = _locked(swap_id)
        late = swap.deadline <= now if swap.status == "open" else swap.shift.starts_at <= now
        if swap.status in ACTIVE and late:
            _close(swap, "expired", None, messages.expiry_note(), now)
            expired += 1
    return expired


def hand_back(employee: Employee) -> None:
    """An account was deactivated: its open swaps are withdrawn with a refund, and a swap it
    had taken, still awaiting approval, goes back on the board."""
    now = utcnow()
    for swap_id in db.session.scalars(
        select(Swap.id).where(
            Swap.status.in_(ACTIVE),
            (Swap.requested_by_id == employee.id) | (Swap.taken_by_id == employee.id),
        )
    ).all():
        swap = _locked(swap_id)
        if swap.status not in ACTIVE:
            continue
        if swap.requested_by_id == employee.id:
            _close(swap, "withdrawn", None, messages.deactivation_note(), now)
        elif swap.taken_by_id == employee.id:
            _reopen(swap)
            messages.tell(swap.requested_by_id, "swap_back_on_board", swap)


def refuse_change(shift: Shift, change: str) -> None:
    """`shift_changing`: a shift on the swap board keeps its times until the swap closes, and a
    shift with a swap behind it is kept (its swap names it)."""
    if active_swap_of(shift.id) is not None:
        raise Conflict(
            _(
                "This shift is on the swap board; it can change once the swap is withdrawn or closed."
            )
        )
    if change == "delete" and db.session.scalar(select(Swap.id).where(Swap.shift_id == shift.id)):
        raise Conflict(_("This shift has a swap behind it, so it is kept; edit its times instead."))


def set_team_approval(actor: Employee, team_id, needs_approval: bool) -> None:
    """Whether a covered swap in the team waits for a supervisor's approval."""
    team = lock_row(Team, team_id) if isinstance(team_id, int) else None
    if team is None:
        raise NotFound(_("No such team."))
    require(actor, APPROVE_SWAPS, team)
    before = {"swap_needs_approval": team.swap_needs_approval}
    team.swap_needs_approval = needs_approval
    db.session.flush()
    if before["swap_needs_approval"] != needs_approval:
        audit.record(
            actor,
            "team.swap_approval_set",
            audit.Subject("team", team.id, team.name),
            before,
            {"swap_needs_approval": needs_approval},
        )


def set_swap_rules(actor: Employee, deadline_hours, rest_hours) -> None:
    """HR's swap rules: the deadline before a shift, and the minimum rest between shifts."""
    set_setting(actor, DEADLINE_SETTING, deadline_hours)
    set_setting(actor, REST_SETTING, rest_hours)


def swappable_shifts(actor: Employee, now: datetime | None = None) -> list[Shift]:
    """The actor's coming shifts a swap may still be requested for: before the deadline and
    not on the board already."""
    now = now or utcnow()
    return [
        shift
        for shift, swap in board.future_shifts(actor, now)
        if swap is None and swap_deadline(shift) > now
    ]
