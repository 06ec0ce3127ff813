"""What the outcome kinds are called in words, and an outcome described for the person who earned it.

A kind is a code (`nps`, `fcr`) that the measuring systems send; people see
its name. A kind without a name here is described by its score and date alone,
never by its code.
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from pojo.extensions import db
from pojo.formatting import format_date
from pojo.ledger.references import Description
from pojo.outcomes.models import Outcome

KIND_NAMES = {
    "nps": _l("Customer survey"),
    "fcr": _l("First-contact resolution"),
    "promise_kept": _l("Customer promise"),
    "quality_review": _l("Quality review"),
}


def kind_name(kind: str) -> str | None:
    """The kind's name in the current language, or None for a kind without one."""
    name = KIND_NAMES.get(kind)
    return str(name) if name is not None else None


def outcome_summary(kind: str, score: int | None, occurred_at: datetime) -> str:
    """'Customer survey, score 10, on 20 Nov 2026': the kind named, never its code."""
    name, date = kind_name(kind), format_date(occurred_at, "medium")
    if name and score is not None:
        return _("%(kind)s, score %(score)s, on %(date)s", kind=name, score=score, date=date)
    if name:
        return _("%(kind)s on %(date)s", kind=name, date=date)
    if score is not None:
        return _("Score %(score)s on %(date)s", score=score, date=date)
    return _("Measured on %(date)s", date=date)


def describe_outcome_awards(award_ids: list[int], language: str) -> dict[int, Description]:
    """For ledger lines of awards an outcome rule made: what was measured and when."""
    rows = db.session.execute(
        select(
            Outcome.award_id, Outcome.kind, Outcome.score, Outcome.occurred_at, Outcome.external_id
        ).where(Outcome.award_id.in_(award_ids))
    )
    return {
        award_id: Description(
            detail=outcome_summary(kind, score, occurred_at), source_id=external_id
        )
        for award_id, kind, score, occurred_at, external_id in rows
    }
