"""What the swap board and "My shifts" read: open swaps of a team, one's own swaps."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market.models import Reward
from pojo.people.models import Employee
from pojo.shifts.models import Shift
from pojo.swaps.models import ACTIVE, Swap

SHOWN = 200


def _loaded(query):
    return query.options(
        joinedload(Swap.shift),
        joinedload(Swap.requested_by),
        joinedload(Swap.taken_by),
        joinedload(Swap.offered_to),
        joinedload(Swap.redemption),
    )


def open_swaps(actor: Employee, team_id: int | None = None) -> list[Swap]:
    """The swaps a colleague may take now: open, in the team, offered to all or to `actor`,
    before their deadline; soonest shift first."""
    team_id = actor.team_id if team_id is None else team_id
    if team_id is None:
        return []
    query = (
        select(Swap)
        .join(Shift, Shift.id == Swap.shift_id)
        .where(
            Swap.team_id == team_id,
            Swap.status == "open",
            Swap.deadline > utcnow(),
            (Swap.offered_to_id.is_(None))
            | (Swap.offered_to_id == actor.id)
            | (Swap.requested_by_id == actor.id),
        )
        .order_by(Shift.starts_at, Swap.id)
        .limit(SHOWN)
    )
    return list(db.session.scalars(_loaded(query)).unique())


def awaiting_approval(team_id: int) -> list[Swap]:
    query = (
        select(Swap)
        .join(Shift, Shift.id == Swap.shift_id)
        .where(Swap.team_id == team_id, Swap.status == "awaiting_approval")
        .order_by(Shift.starts_at)
        .limit(SHOWN)
    )
    return list(db.session.scalars(_loaded(query)).unique())


def swaps_of(actor: Employee) -> list[Swap]:
    """The swaps `actor` asked for or took, newest first."""
    query = (
        select(Swap)
        .where((Swap.requested_by_id == actor.id) | (Swap.taken_by_id == actor.id))
        .order_by(Swap.id.desc())
        .limit(SHOWN)
    )
    return list(db.session.scalars(_loaded(query)).unique())


def future_shifts(actor: Employee, now: datetime | None = None) -> list[tuple[Shift, Swap | None]]:
    """The actor's own coming shifts, soonest first, each with its active swap (or None)."""
    now = now or utcnow()
    shifts = list(
        db.session.scalars(
            select(Shift)
            .where(Shift.employee_id == actor.id, Shift.ends_at > now)
            .order_by(Shift.starts_at)
            .limit(SHOWN)
        )
    )
    swaps = {
        swap.shift_id: swap
        for swap in db.session.scalars(
            select(Swap).where(Swap.shift_id.in_([s.id for s in shifts]), Swap.status.in_(ACTIVE))
        )
    }
    return [(shift, swaps.get(shift.id)) for shift in shifts]


def swap_rewards() -> list:
    """The shift-swap rewards on the exchange (what "My shifts" links to)."""
    return list(
        db.session.scalars(
            select(Reward).where(Reward.kind == "shift_swap", Reward.active).order_by(Reward.id)
        )
    )
