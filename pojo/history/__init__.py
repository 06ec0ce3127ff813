"""Moving in: users and points history from a spreadsheet or an older system (CLI and HR pages)."""

from flask_babel import lazy_gettext as _l


def feature():
    from pojo.features import Feature
    from pojo.history import models
    from pojo.history.cli import history_cli, import_users
    from pojo.history.uploads import prune_unapplied
    from pojo.history.views import bp, describe_history
    from pojo.insights.policy import IMPORT_HISTORY
    from pojo.jobs.retention import retention_job
    from pojo.people.cli import user_cli
    from pojo.web import NavItem

    # `flask user import` sits with people's `user` commands; the code is this feature's.
    user_cli.add_command(import_users)
    return Feature(
        name="history",
        blueprints=(bp,),
        commands=(history_cli,),
        nav=(NavItem(85, "history.index", _l("Import"), IMPORT_HISTORY, manage=True),),
        references={"history": describe_history},
        jobs=(
            retention_job(
                "prune_history_uploads",
                "Delete users and history files uploaded a day ago and never applied",
                "unapplied history uploads",
                prune_unapplied,
                minute=15,
            ),
        ),
        models=models,
    )
