"""What the people feature's notifications say (handed over in `Feature.notices`)."""

from datetime import date

from flask_babel import ngettext

from pojo.formatting import format_date, format_points

TEXTS = {
    # A temp's contract ends soon: the contract_reminders job, 14 and 3 days before.
    "contract_ending": lambda p, lang: ngettext(
        "Your contract ends on %(date)s, in %(num)d day. You have %(points)s points: "
        "redeem them or set a goal before then.",
        "Your contract ends on %(date)s, in %(num)d days. You have %(points)s points: "
        "redeem them or set a goal before then.",
        p["days"],
        date=format_date(date.fromisoformat(p["end"])),
        points=format_points(p["points"]),
    ),
}
