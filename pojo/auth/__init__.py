"""Authentication: login, logout, throttling, personal settings."""

from flask_babel import lazy_gettext as _l


def _configure_login(app) -> None:
    from pojo.extensions import login_manager

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def _end_sessions(_app, *, employee) -> None:
    """A deactivated employee's stored sessions end with the deactivation's transaction."""
    from pojo.auth.service import end_sessions_of

    end_sessions_of(employee)


def _prune_login_counters(day_start) -> int:
    from flask import current_app

    from pojo.auth.throttle import prune_ended_windows

    return prune_ended_windows(day_start, current_app.config["LOGIN_WINDOW_MINUTES"])


def feature():
    from pojo.auth import models
    from pojo.auth.personal_data import PARTS as PERSONAL_DATA
    from pojo.auth.views import bp
    from pojo.features import Feature
    from pojo.jobs.retention import retention_job
    from pojo.signals import employee_deactivated

    return Feature(
        name="auth",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        models=models,
        setup=_configure_login,
        receivers={employee_deactivated: _end_sessions},
        jobs=(
            retention_job(
                "prune_login_counters",
                "Delete login throttle counters whose window has ended",
                "login counters",
                _prune_login_counters,
                minute=5,
            ),
        ),
    )
