"""Outcomes: service outcomes measured elsewhere (NPS, first-contact resolution,
promises kept) turned into points by transparent rules; CSV import and API."""

from flask_babel import lazy_gettext as _l


def feature():
    from pojo.features import Feature
    from pojo.jobs.retention import retention_job
    from pojo.outcomes import models
    from pojo.outcomes.api import bp as api_bp
    from pojo.outcomes.cli import outcomes_cli
    from pojo.outcomes.explained import how_it_works_section
    from pojo.outcomes.imports import prune_abandoned
    from pojo.outcomes.kinds import describe_outcome_awards, kind_name
    from pojo.outcomes.notices import TEXTS as NOTICES
    from pojo.outcomes.personal_data import PARTS as PERSONAL_DATA
    from pojo.outcomes.policy import RECORD_OUTCOMES
    from pojo.outcomes.views import bp, rules_section
    from pojo.web import NavItem

    return Feature(
        name="outcomes",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        api_blueprints=(api_bp,),
        commands=(outcomes_cli,),
        nav=(NavItem(45, "outcomes.index", _l("Outcomes"), RECORD_OUTCOMES),),
        sections={"catalogue": rules_section, "how_it_works": how_it_works_section},
        # After the awards' describer: what was measured, added to the criterion's name.
        references={"award": describe_outcome_awards},
        template_globals={"outcome_kind_name": kind_name},
        jobs=(
            retention_job(
                "prune_outcome_uploads",
                "Delete outcome files previewed a day ago and never submitted or applied",
                "abandoned outcome uploads",
                prune_abandoned,
                minute=10,
            ),
        ),
        models=models,
        notices=NOTICES,
    )
