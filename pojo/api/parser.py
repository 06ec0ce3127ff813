"""webargs, told how Pojo reads a request: strict JSON, strict query strings, one 400.

webargs loads the body or query string and marshmallow validates it; what
is Pojo's own is kept here: the body is JSON whatever its Content-Type says
(a body that is not is a 400 naming ``body``), NaN and Infinity are not
JSON, a query parameter is known and given once, and every problem is an
``InvalidInput`` (400, code ``invalid``) naming the first field that failed.
"""

import json

from flask import g
from flask_babel import gettext as _
from webargs.flaskparser import FlaskParser

from pojo.api.fields import FIELD, field_path
from pojo.errors import InvalidInput


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def canonical_body() -> bytes:
    """The request's JSON body in one canonical form (what an Idempotency-Key is bound to)."""
    return g.get("api_canonical_body", b"")


class Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req, schema):
        raw = req.get_data(cache=True)
        if not raw.strip():
            raise InvalidInput(_("The request needs a JSON body."), field="body")
        try:
            payload = json.loads(raw, parse_constant=_reject_constant)
        except json.JSONDecodeError as error:
            message = _(
                "Malformed JSON at line %(line)s, column %(column)s: %(reason)s",
                line=error.lineno,
                column=error.colno,
                reason=error.msg,
            )
            raise InvalidInput(message, field="body") from None
        except (ValueError, RecursionError):
            raise InvalidInput(_("The body is not valid UTF-8 JSON."), field="body") from None
        g.api_canonical_body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return payload

    def load_querystring(self, req, schema):
        unknown = sorted(set(req.args) - set(schema.fields))
        if unknown:
            name = unknown[0][:64]
            raise InvalidInput(_("Unknown query parameter %(name)s.", name=name), field=name)
        for name in schema.fields:
            if len(req.args.getlist(name)) > 1:
                raise InvalidInput(_("Give %(name)s only once.", name=name), field=name)
        return req.args.to_dict()

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        (by_field,) = error.messages.values()  # webargs files them under the location
        path, message = field_path(by_field)
        path = path or "body"
        raise InvalidInput(str(message).replace(FIELD, path), field=path)
