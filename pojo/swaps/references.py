"""What a "swap:ID" ledger reference means: the cover points for a colleague's shift."""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pojo.extensions import db
from pojo.ledger.references import Description
from pojo.shifts.display import shift_day, shift_hours
from pojo.swaps.models import Swap


def describe_swaps(ids: list[int], language: str) -> dict[int, Description]:
    swaps = db.session.scalars(
        select(Swap)
        .where(Swap.id.in_(ids))
        .options(joinedload(Swap.shift), joinedload(Swap.requested_by))
    )
    found = {}
    with force_locale(language):
        for swap in swaps:
            when = " ".join((shift_day(swap.shift), shift_hours(swap.shift)))
            found[swap.id] = Description(
                label=_("Covered a colleague's shift"),
                detail=_(
                    "%(name)s's shift %(when)s; not from a supervisor's budget",
                    name=swap.requested_by.display_name,
                    when=when,
                ),
            )
    return found
