def init_app(app):
    from pojo.market import models  # noqa: F401  (tables known to migrations)
