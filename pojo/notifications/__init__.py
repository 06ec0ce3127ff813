"""In-app notifications: the bell and the list behind it."""


def feature():
    from pojo.features import Feature
    from pojo.notifications import models
    from pojo.notifications.personal_data import PARTS as PERSONAL_DATA
    from pojo.notifications.views import bp

    return Feature(
        name="notifications", personal_data=PERSONAL_DATA, blueprints=(bp,), models=models
    )
