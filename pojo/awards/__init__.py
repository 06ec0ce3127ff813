"""Awards: the public criteria catalogue and supervisors' awards."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from pojo.awards.service import describe_awards
    from pojo.awards.views import bp
    from pojo.ledger import references
    from pojo.web import register_nav

    app.register_blueprint(bp)
    references.register("award", describe_awards)
    register_nav(30, "awards.catalogue", _l("Criteria"))
    register_nav(40, "awards.new_award", _l("Award"), ("supervisor", "hr", "admin"))
