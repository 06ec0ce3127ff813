"""Authentication: login, logout, throttling, personal settings."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from pojo.auth.views import bp
    from pojo.extensions import login_manager

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
