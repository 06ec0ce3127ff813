"""People: employees, teams and roles."""

from flask_babel import lazy_gettext as _l


def feature():
    from pojo.features import Feature
    from pojo.people import models
    from pojo.people.cli import user_cli
    from pojo.people.forms import role_name
    from pojo.people.policy import VIEW_PEOPLE
    from pojo.people.views import bp
    from pojo.web import NavItem

    return Feature(
        name="people",
        blueprints=(bp,),
        commands=(user_cli,),
        nav=(NavItem(80, "people.index", _l("People"), VIEW_PEOPLE, manage=True),),
        template_globals={"role_name": role_name},
        models=models,
    )
