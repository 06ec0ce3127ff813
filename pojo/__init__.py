"""Pojo: a staff reward exchange for customer-service teams."""

from collections.abc import Iterable
from pathlib import Path

from flask import Flask, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

import config
from pojo.bounds import RowIdConverter
from pojo.database import configure_sqlite, configure_transactions
from pojo.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Feature packages, each with feature() -> pojo.features.Feature, registered in this order
# (it orders equal nav entries, section panels, reference describers and start pages).
FEATURES = (
    "pojo.people",
    "pojo.auth",
    "pojo.ledger",
    "pojo.awards",
    "pojo.outcomes",
    "pojo.api",
    "pojo.market",
    "pojo.shifts",
    "pojo.swaps",
    "pojo.insights",
    "pojo.history",
    "pojo.audit",
    "pojo.notifications",
    "pojo.mail",
    "pojo.jobs",
    "pojo.guide",
    "pojo.home",
    "pojo.demo",
    "pojo.backups",
)


def select_locale() -> str:
    """The user's own language, else the browser's, else the site default.

    Outside a request (CLI, scheduler) messages are in English.
    """
    from flask import current_app

    if not has_request_context():
        return "en"
    if current_user.is_authenticated:
        return current_user.language
    chosen = request.cookies.get("lang")
    if chosen in ("fi", "en"):
        return chosen
    return (
        request.accept_languages.best_match(["fi", "en"]) or current_app.config["DEFAULT_LANGUAGE"]
    )


def create_app(overrides: dict | None = None, features: Iterable[str] = FEATURES) -> Flask:
    """Application factory: ``flask --app pojo`` and ``wsgi.py`` both call it.

    `features` names the feature packages to plug in (a test may leave some out).
    """
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config.load(Path(app.instance_path)))
    # Every <int:...> in a URL is a row id: one no key column can hold is simply not found.
    app.url_map.converters["int"] = RowIdConverter
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    from importlib import import_module

    from pojo import access, errors, pagination, static_files, web
    from pojo.features import register_feature

    with app.app_context():
        configure_sqlite(db.engine)
        configure_transactions(db.engine, web.reads_only)

    errors.init_app(app)
    app.cli.add_command(access.cli)
    web.init_app(app)
    pagination.init_app(app)
    for name in features:
        register_feature(app, import_module(name).feature())
    # Last, so it wraps everything: a static file is answered before any of Pojo runs.
    static_files.init_app(app)
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outermost: the client's address and scheme as the trusted proxies saw them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    @app.before_request
    def _remember_language():
        # Through Flask-Babel, which caches its choice for the request: one lookup, not two.
        g.language = get_locale().language

    return app
