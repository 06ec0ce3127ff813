def init_app(app):
    from pojo.api import models  # noqa: F401  (tables known to migrations)
