"""JSON shapes declared once: each validates a request and describes itself in OpenAPI.

A view's body, query and response shapes are built from these classes, so the
document at /api/v1/openapi.json cannot drift from what the code accepts.
``parse`` raises InvalidInput (400) naming the offending field, e.g.
``outcomes[3].score``; ``openapi`` returns the JSON Schema (OpenAPI 3.0).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _

from pojo.bounds import INT32, Bound
from pojo.errors import InvalidInput

# PostgreSQL text cannot hold NUL; the pattern also tells schema-driven clients.
NO_NUL = "^[^\\u0000]*$"


class Schema:
    nullable: bool = False

    def parse(self, value, where: str):
        if value is None:
            if self.nullable:
                return None
            raise InvalidInput(_("%(field)s must not be null.", field=where), field=where)
        return self.check(value, where)

    def check(self, value, where: str):
        raise NotImplementedError

    def describe(self) -> dict:
        raise NotImplementedError

    def openapi(self) -> dict:
        described = self.describe()
        if self.nullable:
            described["nullable"] = True
        return described


def _unencodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, which no database can store
        return True
    return False


def _wrong_type(where: str, expected: str) -> InvalidInput:
    return InvalidInput(
        _("%(field)s must be %(expected)s.", field=where, expected=expected), field=where
    )


@dataclass(frozen=True)
class String(Schema):
    max_length: int = 255
    min_length: int = 1
    pattern: str | None = None
    nullable: bool = False
    description: str = ""

    def check(self, value, where):
        if not isinstance(value, str):
            raise _wrong_type(where, _("a string"))
        if "\x00" in value or not value.isprintable() and _unencodable(value):
            raise InvalidInput(
                _("%(field)s contains a character that is not allowed.", field=where), field=where
            )
        if not self.min_length <= len(value) <= self.max_length:
            raise InvalidInput(
                _(
                    "%(field)s must be %(min)s to %(max)s characters long.",
                    field=where,
                    min=self.min_length,
                    max=self.max_length,
                ),
                field=where,
            )
        if self.pattern and not re.fullmatch(self.pattern.strip("^$"), value):
            raise InvalidInput(
                _("%(field)s has the wrong form (%(pattern)s).", field=where, pattern=self.pattern),
                field=where,
            )
        return value

    def describe(self):
        described = {"type": "string", "minLength": self.min_length, "maxLength": self.max_length}
        described["pattern"] = self.pattern or NO_NUL
        if self.description:
            described["description"] = self.description
        return described


@dataclass(frozen=True)
class Timestamp(Schema):
    """An RFC 3339 date-time with its UTC offset; parsed to an aware UTC datetime."""

    nullable: bool = False
    description: str = ""

    def check(self, value, where):
        if not isinstance(value, str) or len(value) > 64:
            raise _wrong_type(where, _("an ISO 8601 date-time"))
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(
                _("%(field)s is not an ISO 8601 date-time: %(value)s", field=where, value=value),
                field=where,
            ) from None
        if parsed.tzinfo is None:
            raise InvalidInput(
                _("%(field)s needs a UTC offset, such as +02:00 or Z.", field=where), field=where
            )
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise InvalidInput(_("%(field)s is out of range.", field=where), field=where) from None

    def describe(self):
        described = {"type": "string", "format": "date-time"}
        if self.description:
            described["description"] = self.description
        return described


@dataclass(frozen=True)
class Integer(Schema):
    """A whole number; unless told otherwise, what an integer column holds (pojo.bounds)."""

    minimum: int = INT32.minimum
    maximum: int = INT32.maximum
    nullable: bool = False
    description: str = ""

    @classmethod
    def within(cls, bound: Bound, **options) -> "Integer":
        """An integer limited to one of pojo.bounds' ranges."""
        return cls(minimum=bound.minimum, maximum=bound.maximum, **options)

    def check(self, value, where):
        # bool is an int in Python, but `true` is not a number in JSON.
        if not isinstance(value, int) or isinstance(value, bool):
            raise _wrong_type(where, _("a whole number"))
        if not self.minimum <= value <= self.maximum:
            raise InvalidInput(
                _(
                    "%(field)s must be from %(min)s to %(max)s.",
                    field=where,
                    min=self.minimum,
                    max=self.maximum,
                ),
                field=where,
            )
        return value

    def describe(self):
        described: dict = {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        if self.description:
            described["description"] = self.description
        return described


@dataclass(frozen=True)
class Array(Schema):
    items: Schema
    max_items: int = 1000
    min_items: int = 0
    nullable: bool = False
    # Some endpoints answer an over-long list with 413 rather than 400.
    too_many: type[Exception] | None = None

    def check(self, value, where):
        if not isinstance(value, list):
            raise _wrong_type(where, _("a list"))
        if len(value) > self.max_items and self.too_many is not None:
            raise self.too_many(
                _("%(field)s holds at most %(n)s items.", field=where, n=self.max_items)
            )
        if not self.min_items <= len(value) <= self.max_items:
            raise InvalidInput(
                _(
                    "%(field)s must hold %(min)s to %(max)s items.",
                    field=where,
                    min=self.min_items,
                    max=self.max_items,
                ),
                field=where,
            )
        return [self.items.parse(item, f"{where}[{index}]") for index, item in enumerate(value)]

    def describe(self):
        return {
            "type": "array",
            "items": self.items.openapi(),
            "minItems": self.min_items,
            "maxItems": self.max_items,
        }


@dataclass(frozen=True)
class Object(Schema):
    """Fields by name; all are required unless listed in `optional`; no others allowed."""

    fields: dict[str, Schema]
    optional: tuple[str, ...] = ()
    nullable: bool = False
    description: str = ""

    def check(self, value, where):
        if not isinstance(value, dict):
            raise _wrong_type(where or "body", _("an object"))
        prefix = f"{where}." if where else ""
        for name in value:
            if name not in self.fields:
                raise InvalidInput(
                    _("Unknown field %(field)s.", field=f"{prefix}{name}"), field=f"{prefix}{name}"
                )
        parsed = {}
        for name, schema in self.fields.items():
            if name not in value:
                if name in self.optional:
                    continue
                raise InvalidInput(
                    _("%(field)s is required.", field=f"{prefix}{name}"), field=f"{prefix}{name}"
                )
            parsed[name] = schema.parse(value[name], f"{prefix}{name}")
        return parsed

    def with_fields(self, **more: Schema) -> "Object":
        """The same object with more (or replaced) fields."""
        return Object({**self.fields, **more}, self.optional, self.nullable, self.description)

    def describe(self):
        described = {
            "type": "object",
            "properties": {name: schema.openapi() for name, schema in self.fields.items()},
            "additionalProperties": False,
        }
        required = [name for name in self.fields if name not in self.optional]
        if required:
            described["required"] = required
        if self.description:
            described["description"] = self.description
        return described


@dataclass(frozen=True)
class Raw(Schema):
    """A hand-written JSON Schema, for response shapes only (never parses input)."""

    schema: dict
    nullable: bool = False

    def check(self, value, where):
        raise TypeError("Raw schemas describe responses; they do not parse input")

    def describe(self):
        return dict(self.schema)
