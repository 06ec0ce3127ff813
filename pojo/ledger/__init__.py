"""The ledger: append-only point movements and stored balances."""

from flask_babel import lazy_gettext as _l


def feature():
    from pojo.features import Feature
    from pojo.ledger import models
    from pojo.ledger.api import bp as api_bp
    from pojo.ledger.cli import ledger_cli
    from pojo.ledger.personal_data import PARTS as PERSONAL_DATA
    from pojo.ledger.verify import LEDGER_CHECKS
    from pojo.ledger.views import bp
    from pojo.policy import ROLES
    from pojo.web import NavItem

    return Feature(
        name="ledger",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        api_blueprints=(api_bp,),
        commands=(ledger_cli,),
        nav=(NavItem(20, "ledger.wallet", _l("Wallet")),),
        checks=LEDGER_CHECKS,
        # Everyone starts at their wallet unless a feature above offers a better first page.
        start_pages=dict.fromkeys(ROLES, "ledger.wallet"),
        models=models,
    )
