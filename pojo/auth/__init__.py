"""Authentication: login, logout, throttling, personal settings."""

from flask_babel import lazy_gettext as _l


def _configure_login(app) -> None:
    from pojo.extensions import login_manager

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def feature():
    from pojo.auth import models
    from pojo.auth.views import bp
    from pojo.features import Feature

    return Feature(name="auth", blueprints=(bp,), models=models, setup=_configure_login)
