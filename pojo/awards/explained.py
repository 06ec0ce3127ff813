"""The awards' panel on the public "how it works" page (`pojo.guide`)."""

from flask_babel import gettext as _

from pojo.awards import service


def how_it_works_section():
    """What earns how much: the criteria in use, read live, as the catalogue lists them."""
    return "awards/_how_it_works.html", {
        "criteria": service.list_criteria(),
        "contents": [("earn", _("How you earn"))],
    }
