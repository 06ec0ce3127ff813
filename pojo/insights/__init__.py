"""HR insights: how people use Pojo (segments), fairness, the points economy, payroll."""


def feature():
    from pojo.features import Feature
    from pojo.insights import threshold_views  # noqa: F401  (HR's thresholds page on bp)
    from pojo.insights.api import bp as api_bp
    from pojo.insights.blueprint import bp
    from pojo.insights.profile import wallet_section

    return Feature(
        name="insights",
        blueprints=(bp,),
        api_blueprints=(api_bp,),
        sections={"wallet": wallet_section},
    )
