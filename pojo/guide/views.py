"""The tour's three screens and the "how it works" page."""

from flask import Blueprint, abort, render_template, request, url_for

from pojo.guide import service
from pojo.policy import EVERYONE, PUBLIC
from pojo.web import allow, local_path, sections

bp = Blueprint("guide", __name__)

# The tour's screens in order: each a template part and its picture.
TOUR = ("earn", "prices", "goals")


def tour_after_login(employee, next_page: str) -> str | None:
    """`Feature.after_login`: a truly new person's first login opens the tour, once."""
    if not service.mark_tour_shown(employee):
        return None
    return url_for("guide.tour", step=1, next=next_page)


@bp.route("/tour/<int(min=1):step>")
@allow(EVERYONE)
def tour(step: int):
    """One screen of the tour: Back, Next and Skip are links, so it works without script."""
    if step > len(TOUR):
        abort(404)
    # Where Skip and the last Next go: the page the login was going to, else the front door.
    after = local_path(request.args.get("next"))
    return render_template(
        "guide/tour.html",
        step=step,
        screen=TOUR[step - 1],
        steps=len(TOUR),
        after=after,
        done_url=after or url_for("home.index"),
    )


@bp.route("/how-it-works")
@allow(PUBLIC)
def how_it_works():
    """How Pojo works, for anyone: each feature explains its own rules, read live."""
    return render_template("guide/how_it_works.html", sections=sections("how_it_works"))
