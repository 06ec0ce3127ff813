"""What the market's notifications say.

`pojo.notifications` stores a notification's kind and parameters and asks
the feature that owns the kind for its text, in the reader's language;
the market hands these over in `Feature.notices`.
"""

from flask_babel import gettext as _

from pojo.formatting import format_points
from pojo.notifications.service import name_in

# Reward names are whole phrases ("An extra hour of lunch"), so each
# message names the reward after a colon, never inside the sentence.
TEXTS = {
    "redemption_fulfilled": lambda p, lang: _(
        "Your redemption is ready: %(reward)s. HR marked it fulfilled.",
        reward=name_in(p, "reward", lang),
    ),
    "redemption_cancelled": lambda p, lang: _(
        "Your redemption was cancelled: %(reward)s. %(points)s points were refunded. Reason: %(reason)s",
        reward=name_in(p, "reward", lang),
        points=format_points(p["points"]),
        reason=p.get("reason", ""),
    ),
    "goal_affordable": lambda p, lang: _(
        "You can now afford your goal: %(reward)s, at %(price)s points.",
        reward=name_in(p, "reward", lang),
        price=format_points(p["price"]),
    ),
    "goal_price_drop": lambda p, lang: _(
        "Your goal is cheaper: %(reward)s dropped to %(price)s points (it was %(was)s).",
        reward=name_in(p, "reward", lang),
        price=format_points(p["price"]),
        was=format_points(p["was"]),
    ),
}
