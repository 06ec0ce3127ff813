"""In-app notifications: the bell and the list behind it."""


def feature():
    from pojo.features import Feature
    from pojo.notifications import models
    from pojo.notifications.views import bp

    return Feature(name="notifications", blueprints=(bp,), models=models)
