def init_app(app):
    from pojo.notifications import models  # noqa: F401  (tables known to migrations)
