"""The guide: the first-login tour and the public "how it works" page.

The tour is three short screens (how to earn, how prices move, goals), shown once after
an employee's first login through the form and open again from the footer and the
settings page. The "how it works" page is drawn from the panels the features that own
the rules put on it (`Feature.sections["how_it_works"]`): the criteria from awards, the
outcome rules from outcomes, the price rule, goals and redeeming from the market, swaps
from swaps; an app without one of them explains only what it has.
"""


def feature():
    from pojo.features import Feature
    from pojo.guide.views import bp, tour_after_login

    return Feature(name="guide", blueprints=(bp,), after_login=tour_after_login)
