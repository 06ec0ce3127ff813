"""The ledger: append-only point movements and stored balances."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from pojo.ledger.cli import ledger_cli
    from pojo.ledger.views import bp
    from pojo.web import register_nav

    app.cli.add_command(ledger_cli)
    app.register_blueprint(bp)
    register_nav(20, "ledger.wallet", _l("Wallet"))
