"""Redemptions: redeeming a reward, HR's decision (fulfil or cancel), and the lists of them.

A redemption locks the reward row first (FOR UPDATE), then the balance
inside `post_entry`, the order of docs/architecture.md; a decision locks
the reward, then the redemption.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    LimitReached,
    NotFound,
    OutOfStock,
    PriceMoved,
    RewardUnavailable,
)
from pojo.extensions import db
from pojo.features import installed
from pojo.formatting import format_points
from pojo.ledger.service import post_entry
from pojo.market.catalogue import lock_reward
from pojo.market.demand import price_now, record_redemption
from pojo.market.goals import check_goals
from pojo.market.models import PriceTick, Redemption, Reward
from pojo.market.policy import FULFIL_REDEMPTIONS
from pojo.notifications.service import both_names, link_to, notify
from pojo.pagination import Pagination, paginate
from pojo.people.models import Employee
from pojo.policy import require
from pojo.rows import get_row, lock_row, site_zone


def _period_start(period: str, at: datetime) -> datetime:
    """Start of the calendar month, quarter or year containing `at`, in the site's zone."""
    zone = site_zone()
    local = at.astimezone(zone)
    month = {"month": local.month, "quarter": 3 * ((local.month - 1) // 3) + 1, "year": 1}[period]
    start = local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(UTC)


def _check_limit(reward: Reward, employee: Employee, at: datetime) -> None:
    if reward.per_person_limit is None:
        return
    taken = db.session.scalar(
        select(func.count())
        .select_from(Redemption)
        .where(
            Redemption.employee_id == employee.id,
            Redemption.reward_id == reward.id,
            Redemption.status != "cancelled",
            Redemption.created_at >= _period_start(reward.limit_period, at),
        )
    )
    if taken >= reward.per_person_limit:
        periods = {"month": _("month"), "quarter": _("quarter"), "year": _("year")}
        raise LimitReached(
            _(
                "You have already redeemed this %(count)s times this %(period)s, the most allowed.",
                count=taken,
                period=periods[reward.limit_period],
            )
        )


def _prepare_kind(
    actor: Employee, reward: Reward, details: Mapping, at: datetime
) -> Callable | None:
    """The reward kind's own checks, before anything is charged (see `Feature.reward_kinds`)."""
    if reward.kind == "standard":
        return None
    prepare = installed().reward_kinds.get(reward.kind)
    if prepare is None:
        raise RewardUnavailable(_("This reward cannot be redeemed here."))
    return prepare(actor, reward, details, at)


def redeem(
    actor: Employee,
    reward_id: int,
    max_price: int,
    *,
    request_id: str | None = None,
    at: datetime | None = None,
    details: Mapping | None = None,
) -> Redemption:
    """Redeem a reward like a limit order: charged the current price if it is at most `max_price`.

    Refused, with nothing charged, when the reward is sold out
    (OutOfStock), the price moved above `max_price` (PriceMoved, with the
    price), the per-person limit is used, or the balance is short
    (InsufficientPoints). A repeated `request_id` returns the first
    redemption. `at` backdates it (demo history). A reward of another kind
    than `standard` is checked by its feature (`Feature.reward_kinds`) with
    `details` (a shift swap's `shift`) before anything is charged.
    """
    if isinstance(max_price, bool) or not isinstance(max_price, int) or max_price < 1:
        raise InvalidInput(
            _("The price you accept is a whole number of points."), field="max_price"
        )
    reward = lock_reward(reward_id)
    # Looked up under the reward's lock, so a concurrent double submit sees the first one.
    if request_id:
        earlier = db.session.scalar(select(Redemption).where(Redemption.request_id == request_id))
        if earlier is not None:
            if earlier.employee_id != actor.id:
                raise Conflict(_("This form was already used."))
            return earlier
    if not reward.active:
        raise RewardUnavailable(_("This reward is no longer on the exchange."))
    if not actor.active:
        raise Forbidden(_("Your account is not active."))
    attach = _prepare_kind(actor, reward, details or {}, at or utcnow())
    if reward.stock is not None and reward.stock <= 0:
        raise OutOfStock(_("Sold out: this reward has no stock left."))
    # Taken under the lock, and never before the reward's last price event: moments stay in order.
    at = max(at or utcnow(), reward.demand_at)
    price = price_now(reward, at)
    if price > max_price:
        raise PriceMoved(
            _(
                "The price moved from %(old)s to %(new)s points; nothing was charged.",
                old=format_points(max_price),
                new=format_points(price),
            ),
            price=price,
        )
    _check_limit(reward, actor, at)
    entry = post_entry(actor.id, -price, "redemption", actor=actor, at=at)
    redemption = Redemption(
        employee=actor,
        reward=reward,
        price_paid=price,
        max_price=max_price,
        status="pending",
        created_at=at,
        entry=entry,
        request_id=request_id or None,
    )
    if reward.stock is not None:
        reward.stock -= 1
    db.session.add(redemption)
    db.session.flush()
    entry.reference = f"redemption:{redemption.id}"
    state = record_redemption(reward, at)
    state.redemption_id = redemption.id
    db.session.add(PriceTick(reward_id=reward.id, at=at, price=state.price_after))
    db.session.flush()
    if attach is not None:
        attach(redemption)
    # Dearer now for everyone saving toward it; the redeemer's own balance fell.
    check_goals(reward_ids=[reward.id], at=at)
    check_goals(employee_ids=[actor.id], at=at)
    return redemption


def _lock_pending(redemption_id: int) -> Redemption:
    """Lock a pending redemption: its reward row first, then the redemption."""
    found = get_row(Redemption, redemption_id)
    if found is None:
        raise NotFound(_("No such redemption."))
    lock_reward(found.reward_id)
    redemption = lock_row(Redemption, redemption_id)
    if redemption is None:
        raise NotFound(_("No such redemption."))
    if redemption.status != "pending":
        raise Conflict(_("This redemption has already been decided."))
    return redemption


def _decide(actor: Employee, redemption_id: int, at: datetime | None) -> Redemption:
    """Lock a pending redemption for HR's decision; a shift swap's settles with its swap."""
    require(actor, FULFIL_REDEMPTIONS)
    redemption = _lock_pending(redemption_id)
    if redemption.reward.kind != "standard":
        raise Conflict(
            _("This redemption is settled by its shift swap: covered, withdrawn or expired.")
        )
    redemption.decided_at = at or utcnow()
    redemption.decided_by = actor
    return redemption


def _fulfilled(redemption: Redemption) -> None:
    """Mark a locked redemption fulfilled, with a copy of its reward's payroll settings now.

    Payroll is told what held at the hand-over: a later edit of the reward's value,
    treatment or code leaves this redemption (paid history) as it was.
    """
    reward = redemption.reward
    redemption.status = "fulfilled"
    redemption.tax_treatment = reward.tax_treatment
    redemption.income_type_code = reward.income_type_code
    redemption.value_cents = reward.value_cents


def _audit(actor: Employee, action: str, redemption: Redemption, **more) -> None:
    """HR's decision on a redemption, for the audit log (pending before, decided after)."""
    state = {
        "employee": redemption.employee.username,
        "reward": redemption.reward.name_en,
        "price_paid": redemption.price_paid,
    }
    audit.record(
        actor,
        action,
        audit.Subject(
            "redemption",
            redemption.id,
            f"{redemption.reward.name_en} (@{redemption.employee.username})",
        ),
        {**state, "status": "pending"},
        {**state, "status": redemption.status, **more},
    )


def fulfil(actor: Employee, redemption_id: int, *, at: datetime | None = None) -> Redemption:
    """Mark a pending redemption fulfilled (HR and admin); the employee is notified.

    `at` backdates the decision (demo data and history imports).
    """
    redemption = _decide(actor, redemption_id, at)
    _fulfilled(redemption)
    _audit(actor, "redemption.fulfilled", redemption)
    notify(
        redemption.employee_id,
        "redemption_fulfilled",
        link_to("ledger.wallet"),
        at=at,
        **both_names("reward", redemption.reward),
    )
    db.session.flush()
    return redemption


def _refund(redemption: Redemption, actor: Employee | None, reason: str, at: datetime | None):
    """Cancel a locked pending redemption: a compensating entry gives the price back, restock."""
    # A credit: the market's points_credited receiver checks the goal (see market.feature).
    refund = post_entry(
        redemption.employee_id,
        redemption.price_paid,
        "refund",
        actor=actor,
        note=reason,
        reference=f"redemption:{redemption.id}",
        at=at,
    )
    redemption.status = "cancelled"
    redemption.decision_note = reason
    redemption.refund_entry = refund
    reward = redemption.reward
    if reward.stock is not None:
        reward.stock += 1


def cancel(
    actor: Employee, redemption_id: int, reason: str, *, at: datetime | None = None
) -> Redemption:
    """Cancel a pending redemption (HR and admin): refund by a compensating entry, restock.

    `at` backdates the decision and the refund (demo data and history imports).
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise InvalidInput(_("Give a reason of at most 500 characters."), field="reason")
    redemption = _decide(actor, redemption_id, at)
    _refund(redemption, actor, reason, at)
    _audit(actor, "redemption.cancelled", redemption, reason=reason)
    notify(
        redemption.employee_id,
        "redemption_cancelled",
        link_to("ledger.wallet"),
        at=at,
        points=redemption.price_paid,
        reason=reason,
        **both_names("reward", redemption.reward),
    )
    db.session.flush()
    return redemption


def settle(
    redemption_id: int,
    *,
    fulfilled: bool,
    actor: Employee | None,
    note: str,
    at: datetime | None = None,
) -> Redemption:
    """Close a pending redemption for the feature that owns its kind (a shift swap covered:
    fulfilled; withdrawn or expired: refunded). That feature checks who may, and notifies."""
    redemption = _lock_pending(redemption_id)
    redemption.decided_at = at or utcnow()
    redemption.decided_by = actor
    if fulfilled:
        _fulfilled(redemption)
        redemption.decision_note = note or None
    else:
        _refund(redemption, actor, note, at)
    db.session.flush()
    return redemption


def _redemptions_of(employee: Employee, status: str | None = None):
    query = (
        select(Redemption)
        .options(joinedload(Redemption.reward))
        .where(Redemption.employee_id == employee.id)
    )
    if status is not None:
        query = query.where(Redemption.status == status)
    return query.order_by(Redemption.id.desc())


def redemptions_for(employee: Employee, status: str | None = None) -> list[Redemption]:
    """An employee's latest 100 redemptions, newest first, optionally only those with `status`."""
    return list(db.session.scalars(_redemptions_of(employee, status).limit(100)))


def redemption_history(employee: Employee, page: int) -> Pagination:
    """One page of an employee's redemptions, newest first ("My redemptions")."""
    return paginate(_redemptions_of(employee), page)
