"""What shift swaps say: refusals, ledger notes and notifications, in the reader's language."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from flask_babel import gettext as _

from pojo.formatting import format_date, format_points
from pojo.notifications.service import link_to, notify
from pojo.shifts.display import shift_day, shift_hours


def _when(shift) -> str:
    return f"{shift_day(shift)} {shift_hours(shift)}"


def too_late(shift, deadline: datetime, now: datetime) -> str:
    if shift.starts_at <= now:
        return _("This shift has begun; it can no longer be swapped.")
    hours = int((shift.starts_at - deadline) / timedelta(hours=1))
    return _(
        "Swaps close %(hours)s hours before the shift starts; this one (%(when)s) is too close.",
        hours=hours,
        when=_when(shift),
    )


def contract_ended(taker) -> str:
    return _(
        "The shift falls after your contract ends on %(date)s.",
        date=format_date(taker.contract_end),
    )


def overlap(own) -> str:
    return _("The shift overlaps your own shift on %(when)s.", when=_when(own))


def rest_period(neighbour, rest: timedelta) -> str:
    return _(
        "You would rest less than %(hours)s hours between this shift and yours on %(when)s.",
        hours=int(rest / timedelta(hours=1)),
        when=_when(neighbour),
    )


def cover_note(criterion) -> str:
    # Written in the site's language of record; the wallet describes the entry to each reader.
    return f"{criterion.name_en} (not from a supervisor's budget)"


def expiry_note() -> str:
    return "Nobody covered the shift by the swap deadline; the price is refunded."


def withdrawal_note() -> str:
    return "Withdrawn by the requester; the price is refunded."


def deactivation_note() -> str:
    return "The account was deactivated; the swap is withdrawn and the price refunded."


# -- notifications ---------------------------------------------------------------------------


def tell(employee_id: int, kind: str, swap) -> None:
    """Leave `kind` for `employee_id` about `swap`, with what its text needs kept as params."""
    shift = swap.shift
    notify(
        employee_id,
        kind,
        link_to("swaps.board_page"),
        starts=shift.starts_at.isoformat(),
        ends=shift.ends_at.isoformat(),
        label=shift.label,
        requester=swap.requested_by.display_name,
        taker=swap.taken_by.display_name if swap.taken_by else "",
        points=swap.redemption.price_paid,
        cover=swap.cover_entry.points if swap.cover_entry else 0,
    )


def _shift(p) -> str:
    shift = SimpleNamespace(
        starts_at=datetime.fromisoformat(p["starts"]), ends_at=datetime.fromisoformat(p["ends"])
    )
    when = _when(shift)
    return f"{p['label']} {when}" if p.get("label") else when


TEXTS = {
    "swap_offered": lambda p, lang: _(
        "%(requester)s offers you their shift %(shift)s on the swap board.",
        requester=p["requester"],
        shift=_shift(p),
    ),
    "swap_awaiting": lambda p, lang: _(
        "%(taker)s took your shift %(shift)s; it moves once a supervisor approves.",
        taker=p["taker"],
        shift=_shift(p),
    ),
    "swap_to_approve": lambda p, lang: _(
        "%(taker)s took %(requester)s's shift %(shift)s: approve or turn it down.",
        taker=p["taker"],
        requester=p["requester"],
        shift=_shift(p),
    ),
    "swap_covered": lambda p, lang: _(
        "%(taker)s covers your shift %(shift)s. It is no longer yours.",
        taker=p["taker"],
        shift=_shift(p),
    ),
    "swap_you_cover": lambda p, lang: (
        _(
            "You now work %(requester)s's shift %(shift)s and earned %(points)s points.",
            requester=p["requester"],
            shift=_shift(p),
            points=format_points(p["cover"]),
        )
        if p.get("cover")
        else _(
            "You now work %(requester)s's shift %(shift)s.",
            requester=p["requester"],
            shift=_shift(p),
        )
    ),
    "swap_turned_down": lambda p, lang: _(
        "A supervisor turned down your take of %(requester)s's shift %(shift)s; you do not work it.",
        requester=p["requester"],
        shift=_shift(p),
    ),
    "swap_expired": lambda p, lang: _(
        "Nobody covered your shift %(shift)s by the deadline. The swap is cancelled and "
        "%(points)s points are refunded; the shift is still yours.",
        shift=_shift(p),
        points=format_points(p["points"]),
    ),
    "swap_withdrawn": lambda p, lang: _(
        "Your swap of the shift %(shift)s is withdrawn and %(points)s points are refunded.",
        shift=_shift(p),
        points=format_points(p["points"]),
    ),
    "swap_called_off": lambda p, lang: _(
        "The swap of %(requester)s's shift %(shift)s you took was called off; you do not work it.",
        requester=p["requester"],
        shift=_shift(p),
    ),
    "swap_back_on_board": lambda p, lang: _(
        "Your shift %(shift)s is back on the swap board: the colleague who took it left.",
        shift=_shift(p),
    ),
}
