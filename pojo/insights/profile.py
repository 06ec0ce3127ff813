"""The employee's own segment, as a panel on their wallet (nobody else's wallet shows it)."""

from flask_babel import gettext as _
from flask_login import current_user

from pojo.insights import service
from pojo.insights.policy import HAVE_A_SEGMENT
from pojo.policy import can


def headline(code: str) -> str:
    """What the label means for the person who has it, in their language."""
    return {
        "impulse": _("You are an impulse redeemer: you treat yourself as soon as you can."),
        "saver": _("You are a goal saver: you save up for the bigger rewards."),
        "balanced": _("You are balanced: you redeem now and then, as you go."),
        "dormant": _("Your points are resting: you earn, but have not redeemed for a while."),
        "new": _(
            "Too early to tell: after a few months here you will see how you use your points."
        ),
    }[code]


def wallet_section(employee, **_context):
    """The panel on one's own wallet; none on anyone else's, nor for HR and admin."""
    if employee.id != current_user.id or not can(employee, HAVE_A_SEGMENT):
        return None
    segment = service.own_profile(employee)
    return "insights/_wallet.html", {
        "headline": headline(segment.code),
        "sentence": service.explain(segment),
    }
