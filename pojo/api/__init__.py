"""The JSON API v1 under /api/v1, and how a feature adds to it.

Authentication is ``Authorization: Bearer <token>`` only (tokens from
``flask --app pojo token create USERNAME``); a session cookie never
authenticates an API call, so API blueprints are exempt from CSRF. Errors
are ``{"error": {"code", "message", ...}}``: raise a ``pojo.errors``
DomainError from the service and the status and code follow.

Adding an endpoint (the market does this in its own package)::

    # pojo/market/api.py
    from pojo.api import Integer, Object, String, api_blueprint, api_view
    from pojo.web import EVERYONE

    bp = api_blueprint("market_api", __name__)      # routes under /api/v1

    REDEMPTION_REQUEST = Object(
        {"reward": Integer(minimum=1), "max_price": Integer(minimum=0),
         "shift": Integer(minimum=1)},
        optional=("shift",),                        # every other field is required
    )
    REDEMPTION = Object({"id": Integer(), "reward": Integer(), "status": String(max_length=16)})

    @bp.route("/redemptions", methods=["POST"])
    @api_view(EVERYONE, body=REDEMPTION_REQUEST, responses={201: REDEMPTION},
              errors=(404, 409, 422))
    def redeem(caller, body):
        \"\"\"Redeem a reward at no more than max_price.\"\"\"   # summary in the document
        made = service.redeem(caller, body["reward"], body["max_price"])
        return {...}, 201                            # or just a dict/list for 200

    # pojo/market/__init__.py, in feature():
    return Feature(name="market", api_blueprints=(bp,), ...)

What ``api_view(*rule, body=, query=, responses=, errors=)`` does:

- ``rule``: ``EVERYONE`` or role names, like ``pojo.web.allow``; kept on the
  view as ``access_rule``. Another role gets 403; no or a bad token 401.
- ``body``: an ``Object`` schema. The body must be JSON (400 otherwise) and
  match it exactly: wrong types, missing or unknown fields, too-long strings,
  out-of-range numbers are 400 naming the field (``outcomes[3].score``). The
  parsed dict reaches the view as ``body``. An ``Array(..., too_many=TooLarge)``
  answers an over-long list with 413.
- ``query``: ``{"limit": Integer(minimum=1, maximum=200), ...}``; all optional
  (None when absent); unknown or malformed parameters are 400. The view gets
  ``query`` as a dict.
- The view also gets its URL arguments and ``caller`` (the token's Employee).
  It calls one service function with ``caller`` as the actor and returns a
  payload (200) or ``(payload, status)``.
- ``responses``: ``{status: schema}`` of successful answers (a callable that
  returns a schema is allowed, for shapes that other features extend);
  ``errors``: the error statuses the view itself may answer (404, 409, 422...).
  401, 403 (role-restricted views), 400 (body or query) and, on POST, 409,
  413 and 422 are documented automatically.
- Every POST honours ``Idempotency-Key`` (pojo.api.idempotency): the first
  successful response is stored in the same transaction as the effect and
  replayed on a retry; another body with the same key is 422
  ``idempotency_key_reused``; a key still in flight is 409
  ``idempotency_key_in_use``. Nothing to do in the view.
- The OpenAPI document at /api/v1/openapi.json is built from the URL map
  (pojo.api.openapi), so the new route, its schemas and statuses appear
  there by themselves, and tests/test_openapi.py fuzzes it with schemathesis.

Adding a field to ``GET /api/v1/me`` (the market's savings goal), in the
feature's ``Feature``::

    from pojo.features import MeField
    me_fields=(MeField("goal", goal_of,
                       Object({"reward": Integer(), "price": Integer(),
                               "progress_pct": Integer()}, nullable=True)),)

The provider gets the calling Employee and returns a JSON-able value; the
schema is the field's entry in the document.
"""

from flask_babel import lazy_gettext as _l

from pojo.api.framework import (
    API_PREFIX,
    TooLarge,
    Unauthorized,
    api_blueprint,
    api_view,
    current_caller,
    register_api_blueprint,
)
from pojo.api.schema import Array, Integer, Object, Raw, Schema, String, Timestamp

__all__ = [
    "API_PREFIX",
    "Array",
    "Integer",
    "Object",
    "Raw",
    "Schema",
    "String",
    "Timestamp",
    "TooLarge",
    "Unauthorized",
    "api_blueprint",
    "api_view",
    "current_caller",
    "register_api_blueprint",
]


def feature():
    from pojo.api import models
    from pojo.api.cli import token_cli
    from pojo.api.pages import bp as pages
    from pojo.api.views import bp
    from pojo.features import Feature
    from pojo.web import NavItem

    return Feature(
        name="api",
        blueprints=(pages,),
        api_blueprints=(bp,),
        commands=(token_cli,),
        nav=(NavItem(90, "api_tokens.index", _l("API tokens"), ("hr", "admin"), manage=True),),
        models=models,
    )
