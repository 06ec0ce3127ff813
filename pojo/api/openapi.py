"""The OpenAPI 3 document at /api/v1/openapi.json, written by flask-smorest and apispec.

Schemas, parameters and the success response come from each ``api_view``'s
marshmallow schemas. What Pojo adds is its contract, the same for every
operation (``document_contract``): the error statuses it may answer with
the ``Error`` body (400 on every operation, for what gunicorn cannot parse), and on a POST the Idempotency-Key header. Path parameters
are listed in each operation, with the bounds of their URL converters.

The document is built on its first request, when every feature has
registered its endpoints and its fields of ``GET /api/v1/me``, and kept.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

import flask_smorest
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from flask_smorest.spec.plugins import FlaskPlugin
from werkzeug.routing import UnicodeConverter

from pojo.api.idempotency import HEADER, MAX_KEY_LENGTH
from pojo.bounds import ROW_ID, RowIdConverter
from pojo.policy import EVERYONE, Capability

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}

REASONS = {
    400: (
        "Malformed request: bad JSON, a wrong type, a missing or unknown field; or a request"
        " line or header the server cannot read (a control character in a header's value)"
    ),
    401: "No token, or a token that is not valid",
    403: "The caller's role or relation to the data does not allow this",
    404: "Unknown",
    409: "Conflict (e.g. the Idempotency-Key is still in use)",
    413: "Too large",
    422: "Refused by a rule (or an Idempotency-Key reused with another body)",
}

IDEMPOTENCY_KEY = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Retrying with the same key and body returns the first response.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[!-~]+$",
    },
}

INFO = {
    "description": (
        "Points for good service, rewards people choose. Authenticate with "
        "'Authorization: Bearer <token>' (flask --app pojo token create USERNAME). "
        'Errors are {"error": {"code", "message"}}.'
    )
}


@dataclass(frozen=True)
class Contract:
    """What ``api_view`` tells the document about one operation."""

    rule: str | Capability
    operation_id: str
    errors: tuple[int, ...]  # the statuses the view itself may answer
    status: int
    later: Callable | None  # returns the response schema when the document is built


def document_contract(doc: dict, doc_info: dict, *, method: str, **_context) -> dict:
    """flask-smorest's documentation step for Pojo's contract (see the module docstring)."""
    contract: Contract | None = doc_info.get("pojo")
    if contract is None:
        return doc
    doc["operationId"] = contract.operation_id
    parameters = doc.setdefault("parameters", [])
    responses = doc.setdefault("responses", {})
    if contract.later is not None:
        responses[contract.status]["content"] = {"application/json": {"schema": contract.later()}}
    # 400 on every operation: the server (gunicorn.conf.py) answers a header it cannot read
    # with the Error body before any view runs, whatever the operation.
    statuses = {400, 401, *contract.errors}
    if contract.rule != EVERYONE:
        statuses.add(403)
    if method == "post":
        statuses |= {400, 409, 413, 422}
        parameters.append(dict(IDEMPOTENCY_KEY))
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for status in sorted(statuses):
        responses[status] = {"description": REASONS[status], "content": error}
    return doc


class _OperationParameters(FlaskPlugin):
    """Path parameters in each operation (before its own), not once for the path."""

    def path_helper(self, rule, operations, parameters, **kwargs):
        for operation in operations.values():
            operation["parameters"] = self.rule_to_params(rule) + operation.get("parameters", [])
        return self.flaskpath2openapi(rule.rule)


def _row_id(converter) -> dict:
    return {"type": "integer", "minimum": ROW_ID.minimum, "maximum": ROW_ID.maximum}


def _url_text(converter) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^/\\u0000]+$"}


class _Api(flask_smorest.Api):
    """flask-smorest's Api, minus its error handlers: pojo.errors answers every error."""

    DEFAULT_ERROR_RESPONSE_NAME = None  # every error status is listed instead

    def _register_error_handlers(self):
        pass


class _State:
    def __init__(self, app: Flask):
        self.lock = threading.Lock()
        self.pending: list = []
        self.document: dict | None = None
        self.api = _Api(
            app,
            spec_kwargs={
                "title": "Pojo API",
                "version": "1",
                "openapi_version": "3.0.3",
                "flask_plugin": _OperationParameters(),
                # Every schema inline, where a reader (and tests/test_bounds.py) finds it.
                "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=lambda schema: None),
                "info": INFO,
                "security": [{"bearer": []}],
            },
        )
        # Its `openapi print` would print the document before the features are in it.
        app.cli.commands.pop("openapi", None)
        self.api.register_converter(RowIdConverter, _row_id)
        self.api.register_converter(UnicodeConverter, _url_text)
        self.api.spec.components.schema("Error", ERROR)
        self.api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})


def _state(app: Flask) -> _State:
    if "pojo.api" not in app.extensions:
        app.extensions["pojo.api"] = _State(app)
    return app.extensions["pojo.api"]


def describe(app: Flask, blueprint) -> None:
    """Put a registered API blueprint's operations in the app's document."""
    _state(app).pending.append(blueprint)


def document(app: Flask) -> dict:
    """The OpenAPI 3.0 document of every API operation in the app."""
    state = _state(app)
    with state.lock:
        if state.document is None:
            spec = state.api.spec
            # In the app's context: shapes that features extend (GET /me) read the app's features.
            with app.app_context():
                for blueprint in state.pending:
                    blueprint.register_views_in_doc(
                        state.api, app, spec, name=blueprint.name, parameters=None
                    )
            state.document = spec.to_dict()
    return state.document
