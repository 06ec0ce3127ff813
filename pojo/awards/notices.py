"""What the awards' notifications say (handed to `pojo.notifications` by `init_app`)."""

from flask_babel import gettext as _

from pojo.formatting import format_points
from pojo.rows import in_language


def criterion_names(criterion) -> dict:
    """A criterion's names as a notification keeps them: each reader sees their own language."""
    return {"criterion_en": criterion.name_en, "criterion_fi": criterion.name_fi}


def _criterion(params: dict, language: str) -> str:
    return in_language(language, params.get("criterion_en", ""), params.get("criterion_fi", ""))


TEXTS = {
    # The awarder's name and the note are kept as written; the criterion in both languages.
    "award_received": lambda p, lang: _(
        "%(who)s awarded you %(points)s points for %(criterion)s: %(note)s",
        who=p["who"],
        points=format_points(p["points"]),
        criterion=_criterion(p, lang),
        note=p.get("note", ""),
    ),
}
