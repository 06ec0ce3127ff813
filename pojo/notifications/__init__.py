"""In-app notifications: the bell and the list behind it."""


def init_app(app):
    from pojo.notifications import models  # noqa: F401  (tables known to migrations)
    from pojo.notifications.views import bp

    app.register_blueprint(bp)
