"""API blueprints: flask-smorest's, with bearer auth, the access rule and Idempotency-Key."""

from functools import wraps

import flask
import flask_smorest
from flask import Flask, g, request
from flask_babel import gettext as _
from marshmallow import Schema

import pojo.api.idempotency as idempotency
import pojo.api.openapi as openapi
import pojo.api.tokens as tokens
from pojo.api.parser import Parser, canonical_body
from pojo.errors import DomainError, Forbidden, NotFound
from pojo.extensions import csrf
from pojo.people.models import Employee
from pojo.policy import EVERYONE, Capability, check_object_rule, check_rule, permits

API_PREFIX = "/api/v1"


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class TooLarge(DomainError):
    code = "too_large"
    status = 413


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


def _idempotent(view):
    """A POST with an Idempotency-Key: the first successful response, replayed on a retry."""

    @wraps(view)
    def keyed(*args, caller: Employee, **kwargs):
        key = request.headers.get(idempotency.HEADER)
        if request.method != "POST" or key is None:
            return view(*args, caller=caller, **kwargs)
        key = idempotency.valid_key(key)
        digest = idempotency.request_hash(request.method, request.path, canonical_body())
        replay = idempotency.claim(caller.id, key, digest)
        if replay is not None:
            return replay
        # A refusal or an exception rolls back the whole request, the key's hold with it.
        response = view(*args, caller=caller, **kwargs)
        if response.status_code < 400:
            idempotency.finish(caller.id, key, request.method, request.path, digest, response)
        return response

    return keyed


def _is_schema(value) -> bool:
    return isinstance(value, Schema) or isinstance(value, type) and issubclass(value, Schema)


def _instance(schema):
    return schema() if isinstance(schema, type) else schema


class ApiBlueprint(flask_smorest.Blueprint):
    """Routes under /api/v1 whose views are made with ``api_view``; see ``pojo.api``."""

    ARGUMENTS_PARSER = Parser()

    def __init__(self, name: str, import_name: str, *, operation_prefix: str | None = None):
        super().__init__(name, import_name, url_prefix=API_PREFIX)
        self.operation_prefix = operation_prefix or name
        self._prepare_doc_cbks.append(openapi.document_contract)

    def register_api(self, app: Flask) -> None:
        """Join `app`: CSRF-exempt (only a bearer token authenticates the API), documented.

        `pojo.features.register_feature` calls this, so the core needs no import of the API.
        """
        csrf.exempt(self)
        app.register_blueprint(self)
        openapi.describe(app, self)

    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        if not hasattr(view_func, "_apidoc"):
            # Not an API operation (the document itself): served, but not described.
            options = {k: v for k, v in options.items() if k not in ("parameters", "tags")}
            return flask.Blueprint.add_url_rule(self, rule, endpoint, view_func, **options)
        return super().add_url_rule(rule, endpoint, view_func, **options)

    def api_view(
        self,
        rule: str | Capability = EVERYONE,
        *,
        body=None,
        query=None,
        response=None,
        status=200,
        errors=(),
        content_type=None,
        object_rule: Capability | None = None,
    ):
        """Make a view an API operation; see the pojo.api docstring for the contract.

        `rule` is EVERYONE or a capability, as for pojo.web.allow (kept as
        `access_rule`). The view gets its URL arguments, `caller`, and `body`
        and `query` as loaded by those schemas. `response` is the schema its
        answer is dumped with (or a function returning one, for a shape other
        features extend: then the view's answer is sent as it is).
        `content_type` documents an answer other than JSON (``"text/calendar"``):
        the view returns a ready ``Response`` and `response` is its OpenAPI schema
        as a dict (``{"type": "string"}``). `object_rule` is as for
        pojo.web.allow: the capability asked for the thing the URL names.
        """
        check_rule(rule)
        check_object_rule(object_rule)
        later = response if callable(response) and not _is_schema(response) else None

        def decorator(view):
            documented = None if later else response
            inner = self.response(status, documented, content_type=content_type)(view)
            inner = _idempotent(inner)
            # Instances: webargs would build a schema from a class on every request.
            if body is not None:
                inner = self.arguments(_instance(body), location="json", arg_name="body")(inner)
            if query is not None:
                inner = self.arguments(_instance(query), location="query", arg_name="query")(inner)

            @wraps(inner)
            def endpoint(**url_args):
                if any(isinstance(value, str) and "\x00" in value for value in url_args.values()):
                    raise NotFound(_("Not found."))
                caller = _authenticate()
                if not permits(caller, rule):
                    raise Forbidden(_("Your role may not use this endpoint."))
                return inner(caller=caller, **url_args)

            endpoint.access_rule = rule
            endpoint.object_rule = object_rule
            endpoint._apidoc = dict(
                inner._apidoc,
                pojo=openapi.Contract(
                    rule=rule,
                    operation_id=f"{self.operation_prefix}_{view.__name__}",
                    errors=tuple(errors),
                    status=status,
                    later=later,
                ),
            )
            return endpoint

        return decorator


def api_blueprint(name: str, import_name: str, *, operation_prefix: str | None = None):
    """A blueprint whose routes live under /api/v1; list it in `Feature.api_blueprints`."""
    return ApiBlueprint(name, import_name, operation_prefix=operation_prefix)


def register_api_blueprint(app: Flask, blueprint: ApiBlueprint) -> None:
    """Register an API blueprint: CSRF-exempt (only a bearer token authenticates it), documented."""
    blueprint.register_api(app)
