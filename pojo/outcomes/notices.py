"""What the outcomes' notifications say (handed to `pojo.notifications` by the `Feature.setup`)."""

from flask_babel import gettext as _
from flask_babel import ngettext

from pojo.formatting import format_points


def _import_decided(params: dict, _language: str) -> str:
    if params.get("rejected"):
        if params.get("reason"):
            return _(
                "Your outcome import %(file)s was rejected by %(who)s. Reason: %(reason)s",
                file=params["file"],
                who=params["who"],
                reason=params["reason"],
            )
        return _(
            "Your outcome import %(file)s was rejected by %(who)s.",
            file=params["file"],
            who=params["who"],
        )
    return ngettext(
        "Your outcome import %(file)s was applied by %(who)s: %(points)s points from %(num)s outcome.",
        "Your outcome import %(file)s was applied by %(who)s: %(points)s points from %(num)s outcomes.",
        params["outcomes"],
        file=params["file"],
        who=params["who"],
        points=format_points(params["points"]),
    )


TEXTS = {
    "outcome_points": lambda p, lang: ngettext(
        "You earned %(points)s points from %(num)s outcome.",
        "You earned %(points)s points from %(num)s outcomes.",
        p["outcomes"],
        points=format_points(p["points"]),
    ),
    "outcome_import_pending": lambda p, lang: _(
        "%(who)s submitted the outcome import %(file)s: it waits for your approval.",
        who=p["who"],
        file=p["file"],
    ),
    "outcome_import_decided": _import_decided,
}
