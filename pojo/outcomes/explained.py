"""The outcomes' panel on the public "how it works" page (`pojo.guide`)."""

from flask_babel import gettext as _

from pojo.outcomes import service


def how_it_works_section():
    """The outcome rules in force, read live, each in a sentence: what earns how much."""
    return "outcomes/_how_it_works.html", {
        "rules": service.list_rules(),
        "contents": [("outcomes", _("Points from measured outcomes"))],
    }
