"""What the awards' notifications say (handed to `pojo.notifications` by the `Feature.setup`)."""

from flask_babel import gettext as _

from pojo.formatting import format_points
from pojo.notifications.service import name_in

TEXTS = {
    # The awarder's name and the note are kept as written; the criterion in both languages.
    "award_received": lambda p, lang: _(
        "%(who)s awarded you %(points)s points for %(criterion)s: %(note)s",
        who=p["who"],
        points=format_points(p["points"]),
        criterion=name_in(p, "criterion", lang),
        note=p.get("note", ""),
    ),
}
