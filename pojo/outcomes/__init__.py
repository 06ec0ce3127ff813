"""Outcomes: service outcomes measured elsewhere (NPS, first-contact resolution,
promises kept) turned into points by transparent rules; CSV import and API."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from pojo.api import register_api_blueprint
    from pojo.ledger import references
    from pojo.outcomes import models  # noqa: F401  (tables known to migrations)
    from pojo.outcomes.api import bp as api_bp
    from pojo.outcomes.cli import outcomes_cli
    from pojo.outcomes.kinds import describe_outcome_awards, kind_name
    from pojo.outcomes.service import RECORDERS
    from pojo.outcomes.views import bp, rules_section
    from pojo.web import register_nav, register_section

    app.register_blueprint(bp)
    register_api_blueprint(app, api_bp)
    app.cli.add_command(outcomes_cli)
    register_nav(45, "outcomes.index", _l("Outcomes"), RECORDERS)
    register_section("catalogue", rules_section)
    references.register("award", describe_outcome_awards)
    app.add_template_global(kind_name, "outcome_kind_name")
