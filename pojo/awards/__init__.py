"""Awards: the public criteria catalogue and supervisors' awards."""

from flask_babel import lazy_gettext as _l


def feature():
    from pojo.awards import models
    from pojo.awards.service import describe_awards
    from pojo.awards.views import bp
    from pojo.features import Feature
    from pojo.web import ALL_ROLES, NavItem

    return Feature(
        name="awards",
        blueprints=(bp,),
        nav=(
            NavItem(30, "awards.catalogue", _l("Criteria"), ALL_ROLES),
            NavItem(40, "awards.new_award", _l("Award"), ("supervisor", "hr", "admin")),
        ),
        references={"award": describe_awards},
        start_pages={"supervisor": "awards.new_award"},
        models=models,
    )
