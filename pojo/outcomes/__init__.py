def init_app(app):
    from pojo.outcomes import models  # noqa: F401  (tables known to migrations)
