"""The dashboard's stored figures as JSON and back, exactly (pure: no Flask, no database).

A frozen dataclass becomes an object of its fields, a tuple a list, a date or datetime its
ISO text; numbers, text, booleans and None stay as they are (JSON writes a float so that
it reads back the same float). Reading follows the dataclass's field types, so the figures
read back equal the ones stored, nested dataclasses, tuples and aware datetimes included.
"""

import types
import typing
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import cache


def encode(value):
    """`value` as JSON-ready lists, objects and scalars."""
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: encode(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def decode(kind, data):
    """The value of type `kind` (a dataclass, `tuple[X, ...]`, `X | None`, date, datetime or a
    scalar) that `encode` wrote as `data`."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        (inner,) = (arg for arg in typing.get_args(kind) if arg is not type(None))
        return decode(inner, data)
    if origin is tuple:
        args = typing.get_args(kind)
        return tuple(decode(args[0], item) for item in data)
    if kind is tuple:
        return tuple(data)
    if isinstance(kind, type) and is_dataclass(kind):
        return kind(**{name: decode(hint, data[name]) for name, hint in _fields(kind)})
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is date:
        return date.fromisoformat(data)
    return data


@cache
def _fields(kind: type) -> tuple[tuple[str, object], ...]:
    """A dataclass's (field name, type) pairs, read once per class (5,000 members a read)."""
    hints = typing.get_type_hints(kind)
    return tuple((field.name, hints[field.name]) for field in fields(kind))
