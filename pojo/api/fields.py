"""marshmallow fields for the API, in Pojo's words and within Pojo's bounds.

marshmallow validates and apispec documents; these subclasses only add what
the contract needs on top: strict JSON types (``"10"`` and ``true`` are not
numbers), every integer bounded by ``pojo.bounds`` (so its minimum and maximum
appear in the document), no NUL or lone surrogate in a string, ``fullmatch``
for patterns as JSON Schema means them, and messages in the caller's language.

Every message names its field with the ``FIELD`` placeholder; the parser
(``pojo.api.parser``) puts the full path there, e.g. ``outcomes[3].score``.
"""

from datetime import UTC, datetime

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import validate

from pojo.bounds import INT32, WHOLE_NUMBER, Bound

FIELD = "%(field)s"
# PostgreSQL text cannot hold NUL; the pattern also tells schema-driven clients.
NO_NUL = "^[^\\u0000]*$"


def _must_be(kind) -> str:
    return _l("%(field)s must be %(expected)s.", field=FIELD, expected=kind)


_COMMON = {"required": _l("%(field)s is required."), "null": _l("%(field)s must not be null.")}


def _described(description: str, options: dict) -> dict:
    """marshmallow options of one of our fields: required unless told, with its description."""
    options.setdefault("required", True)
    options.setdefault("metadata", {})
    if description:
        options["metadata"]["description"] = description
    return options


class Schema(ma.Schema):
    """A JSON object: the declared fields (required unless ``required=False``), no others."""

    class Meta:
        unknown = ma.RAISE

    error_messages = {"unknown": _l("Unknown field %(field)s."), "type": _must_be(_l("an object"))}

    @ma.pre_load
    def _first_unknown_field(self, data, **kwargs):
        # marshmallow lists unknown fields in no fixed order; name the first one sent.
        if isinstance(data, dict):
            for key in data:
                if key not in self.load_fields:
                    raise ma.ValidationError(self.error_messages["unknown"], field_name=key)
        return data


class _Within(validate.Range):
    def _format_error(self, value, message):
        return _(
            "%(field)s must be from %(min)s to %(max)s.", field=FIELD, min=self.min, max=self.max
        )


class _Characters(validate.Length):
    def _format_error(self, value, message):
        return _(
            "%(field)s must be %(min)s to %(max)s characters long.",
            field=FIELD,
            min=self.min,
            max=self.max,
        )


class _Count(validate.Length):
    def _format_error(self, value, message):
        return _(
            "%(field)s must hold %(min)s to %(max)s items.", field=FIELD, min=self.min, max=self.max
        )


class _Pattern(validate.Regexp):
    """The whole value matches, as a JSON Schema ``pattern`` with ^...$ means it."""

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(
                _(
                    "%(field)s has the wrong form (%(pattern)s).",
                    field=FIELD,
                    pattern=self.regex.pattern,
                )
            )
        return value


def _unencodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, which no database can store
        return True
    return False


def _storable(value: str) -> None:
    if "\x00" in value or not value.isprintable() and _unencodable(value):
        raise ma.ValidationError(
            _("%(field)s contains a character that is not allowed.", field=FIELD)
        )


class Text(ma.fields.String):
    default_error_messages = {**_COMMON, "invalid": _must_be(_l("a string"))}

    def __init__(self, max_length=255, *, min_length=1, pattern=None, description="", **options):
        checks = [_storable, _Characters(min=min_length, max=max_length)]
        if pattern:
            checks.append(_Pattern(pattern))
        options = _described(description, options)
        if not pattern:
            options["metadata"]["pattern"] = NO_NUL
        super().__init__(validate=checks, **options)


class Whole(ma.fields.Integer):
    """A whole number within `bound` (what an integer column holds unless told otherwise).

    In a query string (``text=True``) it is written in plain digits; in JSON it
    must be a JSON number.
    """

    default_error_messages = {**_COMMON, "invalid": _must_be(_l("a whole number"))}

    def __init__(self, bound: Bound = INT32, *, text=False, description="", **options):
        self.text = text
        within = _Within(bound.minimum, bound.maximum)
        super().__init__(strict=True, validate=within, **_described(description, options))

    def _deserialize(self, value, attr, data, **kwargs):
        if self.text and isinstance(value, str) and WHOLE_NUMBER.fullmatch(value):
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Timestamp(ma.fields.DateTime):
    """An RFC 3339 date-time with its UTC offset; loaded as an aware UTC datetime."""

    default_error_messages = {**_COMMON, "invalid": _must_be(_l("an ISO 8601 date-time"))}

    def __init__(self, *, description="", **options):
        super().__init__(format="iso", **_described(description, options))

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) > 64:
            raise self.make_error("invalid")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            message = _(
                "%(field)s is not an ISO 8601 date-time: %(value)s", field=FIELD, value=value
            )
            raise ma.ValidationError(message) from None
        if parsed.tzinfo is None:
            raise ma.ValidationError(
                _("%(field)s needs a UTC offset, such as +02:00 or Z.", field=FIELD)
            )
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise ma.ValidationError(_("%(field)s is out of range.", field=FIELD)) from None


class Items(ma.fields.List):
    """A list of at most `max_items`; `too_many` (an error class) answers a longer one, e.g. 413."""

    default_error_messages = {**_COMMON, "invalid": _must_be(_l("a list"))}

    def __init__(self, items, *, max_items=1000, min_items=0, too_many=None, **options):
        self.too_many = too_many
        self.max_items = max_items
        count = _Count(min=min_items, max=max_items)
        super().__init__(items, validate=count, **_described("", options))

    def _deserialize(self, value, attr, data, **kwargs):
        # Before the items: a list too long is refused as a whole, without reading it.
        if self.too_many is not None and isinstance(value, list) and len(value) > self.max_items:
            raise self.too_many(
                _("%(field)s holds at most %(n)s items.", field=attr, n=self.max_items)
            )
        return super()._deserialize(value, attr, data, **kwargs)


class Nested(ma.fields.Nested):
    default_error_messages = {**_COMMON, "type": _must_be(_l("an object"))}

    def __init__(self, schema, *, description="", **options):
        super().__init__(schema, **_described(description, options))


class Number(ma.fields.Float):
    """A decimal number (responses only)."""

    def __init__(self, *, description="", **options):
        super().__init__(**_described(description, options))


def field_path(errors) -> tuple[str, object]:
    """The path to the first error in marshmallow's error dict, and its message."""
    path = ""
    while isinstance(errors, dict):
        key, errors = next(iter(errors.items()))
        if isinstance(key, int):
            path += f"[{key}]"
        elif key != "_schema":  # the object itself, not one of its fields
            path += f".{key}" if path else key
    message = errors[0] if isinstance(errors, list) else errors
    return path, message
