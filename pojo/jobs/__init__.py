def init_app(app):
    from pojo.jobs import models  # noqa: F401  (tables known to migrations)
