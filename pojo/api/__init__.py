"""The JSON API v1 under /api/v1, and how a feature adds to it.

Built on flask-smorest: marshmallow schemas validate what comes in and
dump what goes out, and apispec writes the OpenAPI document from them.
What Pojo adds (``pojo.api.blueprint``): a bearer token authenticates every
call (``flask --app pojo token create USERNAME``; a session cookie never
does, so API blueprints are exempt from CSRF), the caller's role is checked,
and a POST honours Idempotency-Key. Errors are ``{"error": {"code",
"message", ...}}``: raise a ``pojo.errors`` DomainError from the service and
the status and code follow.

Adding an endpoint (each feature keeps its own in ``<feature>/api.py``)::

    # pojo/market/api.py
    from pojo.api import Schema, Text, Whole, api_blueprint
    from pojo.policy import EVERYONE

    bp = api_blueprint("market_api", __name__)      # routes under /api/v1

    class RedemptionRequest(Schema):                # a JSON object, no other fields
        reward = Whole(bounds.ROW_ID)               # required unless required=False
        max_price = Whole(bounds.ACCEPTED_PRICE, description="the most you accept")

    class Redemption(Schema):
        id = Whole(bounds.ROW_ID)
        status = Text(16, description="pending | fulfilled | cancelled")

    @bp.route("/redemptions", methods=["POST"])
    @bp.api_view(EVERYONE, body=RedemptionRequest, response=Redemption, status=201,
                 errors=(404, 409, 422))
    def redeem(caller, body):
        \"\"\"Redeem a reward at no more than max_price.\"\"\"   # summary in the document
        return service.redeem(caller, body["reward"], body["max_price"])

    # pojo/market/__init__.py, in feature():
    return Feature(name="market", api_blueprints=(bp,), ...)

What ``bp.api_view(rule, body=, query=, response=, status=, errors=)`` does:

- ``rule``: ``EVERYONE`` (the default) or a capability of ``pojo.policy``, like
  ``pojo.web.allow``; kept on the view as ``access_rule``. A caller whose role
  does not hold it gets 403; no or a bad token 401.
- ``body``: a ``Schema``. The body must be JSON (400 otherwise) and match it
  exactly: wrong types, missing or unknown fields, too-long strings,
  out-of-range numbers are 400 ``invalid`` naming the field
  (``outcomes[3].score``). The view gets the loaded dict as ``body``.
  ``Items(..., too_many=TooLarge)`` answers an over-long list with 413.
- ``query``: a ``Schema`` of ``Whole(..., text=True, required=False)`` fields;
  unknown, repeated or malformed parameters are 400. The view gets ``query``
  (a dict without the absent ones).
- The view also gets its URL arguments and ``caller`` (the token's Employee).
  It calls one service function with ``caller`` as the actor and returns
  what ``response`` dumps (a dict, a model, a list with ``Schema(many=True)``)
  with ``status``; or a ready ``Response`` (cached JSON), sent as it is.
- ``content_type``: for an answer that is not JSON (``"text/calendar"`` for
  ``GET /api/v1/shifts.ics``): the view returns a ready ``Response`` and
  ``response`` is its schema in the document, a dict (``{"type": "string"}``).
- ``errors``: the error statuses the view itself may answer (404, 409, 422...).
  401, 403 (role-restricted views), 400 (body or query) and, on POST, 409,
  413 and 422 are documented automatically.
- Every POST honours ``Idempotency-Key`` (pojo.api.idempotency): the first
  successful response is stored in the same transaction as the effect and
  replayed on a retry; another body with the same key is 422
  ``idempotency_key_reused``; a key still in flight is 409
  ``idempotency_key_in_use``. Nothing to do in the view.
- The OpenAPI document at /api/v1/openapi.json (pojo.api.openapi) lists the
  new operation by itself, and tests/test_openapi.py fuzzes it with
  schemathesis.

The fields (``pojo.api.fields``): ``Text(max_length, min_length=1, pattern=)``,
``Whole(bound)`` (a ``pojo.bounds`` range; its minimum and maximum go in the
document), ``Timestamp()`` (with a UTC offset; loaded as UTC), ``Items(field,
max_items=)``, ``Nested(Schema)``, ``Number()``; each takes ``description=``,
``allow_none=`` and marshmallow's other options.

Adding a field to ``GET /api/v1/me`` (the market's savings goal), in the
feature's ``Feature``::

    from pojo.features import MeField
    me_fields=(MeField("goal", goal_of, Nested(Goal, allow_none=True)),)

The provider gets the calling Employee and returns a JSON-able value; the
field (a ``pojo.api`` field) describes it in the document.
"""

from flask_babel import lazy_gettext as _l

from pojo.api.blueprint import (
    API_PREFIX,
    ApiBlueprint,
    TooLarge,
    Unauthorized,
    api_blueprint,
    current_caller,
    register_api_blueprint,
)
from pojo.api.fields import Items, Nested, Number, Schema, Text, Timestamp, Whole

__all__ = [
    "API_PREFIX",
    "ApiBlueprint",
    "Items",
    "Nested",
    "Number",
    "Schema",
    "Text",
    "Timestamp",
    "TooLarge",
    "Unauthorized",
    "Whole",
    "api_blueprint",
    "current_caller",
    "register_api_blueprint",
]


def _revoke_tokens(_app, *, employee) -> None:
    """A deactivated employee's tokens are revoked for good: reactivation revives none."""
    from pojo.api.tokens import revoke_tokens_of

    revoke_tokens_of(employee)


def feature():
    from pojo.api import models
    from pojo.api.cli import token_cli
    from pojo.api.idempotency import prune_expired
    from pojo.api.pages import bp as pages
    from pojo.api.personal_data import PARTS as PERSONAL_DATA
    from pojo.api.policy import MANAGE_TOKENS
    from pojo.api.views import bp
    from pojo.features import Feature
    from pojo.jobs.retention import retention_job
    from pojo.signals import employee_deactivated
    from pojo.web import NavItem

    return Feature(
        name="api",
        personal_data=PERSONAL_DATA,
        blueprints=(pages,),
        api_blueprints=(bp,),
        commands=(token_cli,),
        nav=(NavItem(90, "api_tokens.index", _l("API tokens"), MANAGE_TOKENS, manage=True),),
        receivers={employee_deactivated: _revoke_tokens},
        jobs=(
            retention_job(
                "prune_idempotency_records",
                "Delete the stored API responses of Idempotency-Keys older than 24 hours",
                "idempotency records",
                prune_expired,
                minute=0,
            ),
        ),
        models=models,
    )
