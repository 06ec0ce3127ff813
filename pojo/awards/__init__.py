"""Awards: the public criteria catalogue and supervisors' awards."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from pojo.awards.views import bp
    from pojo.web import register_nav

    app.register_blueprint(bp)
    register_nav(30, "awards.catalogue", _l("Criteria"))
    register_nav(40, "awards.new_award", _l("Award"), ("supervisor", "hr", "admin"))
