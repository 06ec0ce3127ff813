"""People: employees, teams and roles."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from pojo.people.cli import user_cli
    from pojo.people.views import bp
    from pojo.web import register_nav

    app.cli.add_command(user_cli)
    app.register_blueprint(bp)
    register_nav(80, "people.index", _l("People"), ("supervisor", "hr", "admin"), manage=True)
