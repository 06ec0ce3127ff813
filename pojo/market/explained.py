"""The market's panel on the public "how it works" page (`pojo.guide`): the price rule in
plain words with each reward's own settings, goals, and how to redeem."""

from flask_babel import gettext as _

from pojo.market import catalogue, pricing


def how_it_works_section():
    """The rewards on offer and their price settings, read live (names and numbers only)."""
    rewards = [reward for reward in catalogue.list_rewards() if reward.active]
    return "market/_how_it_works.html", {
        "rewards": rewards,
        "step_pct": pricing.DEFAULT_STEP_PCT,
        "half_life_days": pricing.DEFAULT_HALF_LIFE_DAYS,
        "contents": [
            ("prices", _("How prices move")),
            ("goals", _("Goals")),
            ("redeem", _("Redeeming")),
        ],
    }
