"""The API's request handling: bearer auth, strict JSON, idempotent POSTs, uniform errors."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, Flask, g, jsonify, make_response, request
from flask_babel import gettext as _

from pojo.api import idempotency, tokens
from pojo.api.schema import Schema
from pojo.bounds import WHOLE_NUMBER
from pojo.errors import DomainError, Forbidden, InvalidInput, NotFound
from pojo.extensions import csrf
from pojo.people.models import Employee
from pojo.web import EVERYONE

API_PREFIX = "/api/v1"


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class TooLarge(DomainError):
    code = "too_large"
    status = 413


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint whose routes live under /api/v1; register it with register_api_blueprint."""
    return Blueprint(name, import_name, url_prefix=API_PREFIX)


def register_api_blueprint(app: Flask, blueprint: Blueprint) -> None:
    """Register an API blueprint: CSRF-exempt, because only a bearer token authenticates it."""
    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one view (see pojo.api.openapi)."""

    rule: tuple[str, ...]
    summary: str
    description: str
    body: Schema | None
    query: dict[str, Schema]
    # status -> response schema (or a callable returning one, for shapes others extend)
    responses: dict[int, Schema | Callable[[], Schema] | None]
    errors: tuple[int, ...] = field(default=())


def current_caller() -> Employee:
    """The employee whose token authenticated this API request."""
    return g.api_caller


def _authenticate() -> Employee:
    # Deliberately not Flask-Login: a session cookie must never authenticate the API.
    header = request.headers.get("Authorization", "")
    scheme, _sep, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized(_("Send an API token as 'Authorization: Bearer <token>'."))
    caller = tokens.authenticate(credentials.strip())
    if caller is None:
        raise Unauthorized(_("The API token is not valid, revoked, or its owner is inactive."))
    g.api_caller = caller
    return caller


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _json_body():
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise InvalidInput(_("The request needs a JSON body."), field="body")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            _(
                "Malformed JSON at line %(line)s, column %(column)s: %(reason)s",
                line=error.lineno,
                column=error.colno,
                reason=error.msg,
            ),
            field="body",
        ) from None
    except (ValueError, RecursionError):
        raise InvalidInput(_("The body is not valid UTF-8 JSON."), field="body") from None


def _query_args(declared: dict[str, Schema]) -> dict:
    unknown = sorted(set(request.args) - set(declared))
    if unknown:
        raise InvalidInput(
            _("Unknown query parameter %(name)s.", name=unknown[0][:64]), field=unknown[0][:64]
        )
    parsed = {}
    for name, schema in declared.items():
        values = request.args.getlist(name)
        if not values:
            parsed[name] = None
            continue
        if len(values) > 1:
            raise InvalidInput(_("Give %(name)s only once.", name=name), field=name)
        value = values[0]
        if schema.describe().get("type") == "integer":
            if not WHOLE_NUMBER.fullmatch(value):
                raise InvalidInput(_("%(field)s must be a whole number.", field=name), field=name)
            value = int(value)
        parsed[name] = schema.parse(value, name)
    return parsed


def _canonical(payload) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def api_view(
    *rule: str,
    body: Schema | None = None,
    query: dict[str, Schema] | None = None,
    responses: dict,
    errors: tuple[int, ...] = (),
):
    """Make a view an API endpoint; see the pojo.api docstring for the whole contract.

    `rule` is EVERYONE or role names, as for pojo.web.allow (kept as
    `access_rule`). The view is called with keyword arguments: its URL
    arguments, `caller` (the token's employee), `body` (parsed by the `body`
    schema) and `query` (a dict parsed by the `query` schemas). It returns a
    JSON-able payload, or (payload, status).
    """
    rule = rule or (EVERYONE,)

    def decorator(view):
        @wraps(view)
        def wrapped(**url_args):
            if any(isinstance(value, str) and "\x00" in value for value in url_args.values()):
                raise NotFound(_("Not found."))
            caller = _authenticate()
            if EVERYONE not in rule and caller.role not in rule:
                raise Forbidden(_("Your role may not use this endpoint."))
            arguments = dict(url_args, caller=caller)
            if query is not None:
                arguments["query"] = _query_args(query)
            canonical = request.get_data(cache=True)
            if body is not None:
                payload = _json_body()
                arguments["body"] = body.parse(payload, "")
                canonical = _canonical(payload)
            key = request.headers.get(idempotency.HEADER)
            keyed = request.method == "POST" and key is not None
            if keyed:
                key = idempotency.valid_key(key)
                digest = idempotency.request_hash(request.method, request.path, canonical)
                replay = idempotency.claim(caller.id, key, digest)
                if replay is not None:
                    return replay  # the first response, replayed
            # A refusal or an exception rolls back the whole request, the key's hold with it.
            result = view(**arguments)
            payload, status = result if isinstance(result, tuple) else (result, 200)
            response = make_response(jsonify(payload), status)
            if keyed and response.status_code < 400:
                idempotency.finish(caller.id, key, request.method, request.path, digest, response)
            return response

        wrapped.access_rule = rule
        wrapped.api_operation = Operation(
            rule=rule,
            summary=(view.__doc__ or view.__name__).strip().splitlines()[0],
            description=(view.__doc__ or "").strip(),
            body=body,
            query=query or {},
            responses=responses,
            errors=errors,
        )
        return wrapped

    return decorator
