"""Awards: the public criteria catalogue, supervisors' awards and team budgets."""

from flask_babel import lazy_gettext as _l


def feature():
    from pojo.awards import models
    from pojo.awards.api import bp as api_bp
    from pojo.awards.explained import how_it_works_section
    from pojo.awards.invariants import CHECKS
    from pojo.awards.notices import TEXTS as NOTICES
    from pojo.awards.personal_data import PARTS as PERSONAL_DATA
    from pojo.awards.policy import AWARD
    from pojo.awards.service import describe_awards
    from pojo.awards.views import bp, budgets_section
    from pojo.features import Feature
    from pojo.web import NavItem

    return Feature(
        name="awards",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        api_blueprints=(api_bp,),
        nav=(
            NavItem(30, "awards.catalogue", _l("Criteria")),
            NavItem(40, "awards.new_award", _l("Award"), AWARD),
        ),
        # The budget panel on each card of the people feature's teams page.
        sections={"teams": budgets_section, "how_it_works": how_it_works_section},
        references={"award": describe_awards},
        checks=CHECKS,
        start_pages={"supervisor": "awards.new_award"},
        models=models,
        notices=NOTICES,
    )
