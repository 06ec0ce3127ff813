"""The swaps' panel on the public "how it works" page (`pojo.guide`)."""

from flask_babel import gettext as _
from sqlalchemy import select

from pojo.awards.models import Criterion
from pojo.extensions import db
from pojo.people.settings import get_setting
from pojo.swaps.service import COVER_CRITERION, DEADLINE_SETTING, REST_SETTING


def how_it_works_section():
    """Swapping a shift in plain words, with HR's deadline and rest and the cover points."""
    cover = db.session.scalar(
        select(Criterion).where(Criterion.code == COVER_CRITERION, Criterion.active.is_(True))
    )
    return "swaps/_how_it_works.html", {
        "deadline_hours": int(get_setting(DEADLINE_SETTING)),
        "rest_hours": int(get_setting(REST_SETTING)),
        "cover_points": cover.points if cover else None,
        "contents": [("swaps", _("Swapping a shift"))],
    }
