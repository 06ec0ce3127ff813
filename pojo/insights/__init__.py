"""HR insights: how people use Pojo (segments), fairness, the points economy, payroll."""


def feature():
    from pojo.features import Feature

    return Feature(name="insights")
