"""The OpenAPI 3 document, built from the app's URL map.

Every route made with ``api_view`` carries an ``Operation``; this module
turns them into paths. Nothing is written by hand per endpoint, so a
feature that adds an API view is documented by adding it.
"""

import re

from flask import Flask

from pojo.api.framework import API_PREFIX, Operation
from pojo.api.idempotency import HEADER, MAX_KEY_LENGTH
from pojo.api.schema import Integer
from pojo.bounds import ROW_ID
from pojo.web import EVERYONE

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
    200: "OK",
    201: "Created",
    400: "Malformed request: bad JSON, a wrong type, a missing or unknown field",
    401: "No token, or a token that is not valid",
    403: "The caller's role or relation to the data does not allow this",
    404: "Unknown",
    409: "Conflict (e.g. the Idempotency-Key is still in use)",
    413: "Too large",
    422: "Refused by a rule (or an Idempotency-Key reused with another body)",
}

_URL_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def _path_and_parameters(rule: str) -> tuple[str, list[dict]]:
    parameters = []

    def replace(match) -> str:
        if match["converter"] == "int":
            schema = Integer.within(ROW_ID).openapi()
        else:
            schema = {
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "pattern": "^[^/\\u0000]+$",
            }
        parameters.append({"name": match["name"], "in": "path", "required": True, "schema": schema})
        return "{" + match["name"] + "}"

    return _URL_ARGUMENT.sub(replace, rule), parameters


def _json_content(schema) -> dict:
    if callable(schema):
        schema = schema()
    return {"application/json": {"schema": schema.openapi()}}


def _operation(endpoint: str, method: str, operation: Operation, path_parameters) -> dict:
    parameters = list(path_parameters)
    for name, schema in operation.query.items():
        parameters.append(
            {"name": name, "in": "query", "required": False, "schema": schema.openapi()}
        )
    statuses = set(operation.errors) | {401}
    if EVERYONE not in operation.rule:
        statuses.add(403)
    if operation.body is not None or operation.query:
        statuses.add(400)
    if method == "POST":
        statuses |= {400, 409, 413, 422}
        parameters.append(
            {
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
        )
    responses = {}
    for status, schema in operation.responses.items():
        responses[str(status)] = {"description": REASONS.get(status, "OK")}
        if schema is not None:
            responses[str(status)]["content"] = _json_content(schema)
    for status in sorted(statuses):
        responses[str(status)] = {
            "description": REASONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    described = {
        "operationId": endpoint.replace(".", "_"),
        "summary": operation.summary,
        "description": operation.description,
        "parameters": parameters,
        "responses": responses,
    }
    if operation.body is not None:
        described["requestBody"] = {"required": True, "content": _json_content(operation.body)}
    return described


def document(app: Flask) -> dict:
    """The OpenAPI 3.0 document of every api_view route in the app."""
    paths: dict[str, dict] = {}
    # In the app's context: shapes that features extend (GET /me) read the app's features.
    with app.app_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            operation = getattr(app.view_functions[rule.endpoint], "api_operation", None)
            if operation is None or not rule.rule.startswith(API_PREFIX):
                continue
            path, path_parameters = _path_and_parameters(rule.rule)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                paths.setdefault(path, {})[method.lower()] = _operation(
                    rule.endpoint, method, operation, path_parameters
                )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Pojo API",
            "version": "1",
            "description": (
                "Points for good service, rewards people choose. Authenticate with "
                "'Authorization: Bearer <token>' (flask --app pojo token create USERNAME). "
                'Errors are {"error": {"code", "message"}}.'
            ),
        },
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
