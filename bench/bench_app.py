"""What the request-path bench serves: Pojo, a bare Flask route beside it, and a minimal page.

`gunicorn 'bench.bench_app:application()'` serves all three from one process setup, so
the figures differ only by what the route does:

- `/bare/` is a Flask app of its own that returns "ok" (no Pojo code at all);
- `/bench/minimal` is Pojo's request path and nothing else: Flask-Login loads the
  user from the database, a one-line template renders the user's name;
- everything else is Pojo as `wsgi.py` serves it.

The minimal page's blueprint is registered here only, never by `create_app()`.
"""

from pathlib import Path

from flask import Blueprint, Flask, render_template
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from pojo import create_app
from pojo.policy import EVERYONE
from pojo.web import allow

minimal = Blueprint("bench", __name__, template_folder=str(Path(__file__).parent / "templates"))


@minimal.route("/bench/minimal")
@allow(EVERYONE)
def minimal_page():
    return render_template("bench/minimal.html")


def bare_app() -> Flask:
    """The baseline: a Flask route that does nothing."""
    app = Flask("bare")
    app.add_url_rule("/", "hello", lambda: "ok")
    return app


def application():
    pojo = create_app()
    pojo.register_blueprint(minimal)
    return DispatcherMiddleware(pojo, {"/bare": bare_app()})
