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
    return _decoder(kind)(data)


def _same(data):
    return data


@cache
def _decoder(kind):
    """A function reading `encode`'s output back as `kind`, worked out once per type: the
    stored fairness holds 5,000 members, and walking the types again for every value took most
    of reading it back."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (arg for arg in typing.get_args(kind) if arg is not type(None))
        read = _decoder(inner)
        if read is _same:
            return _same
        return lambda data: None if data is None else read(data)
    if origin is tuple:
        read = _decoder(typing.get_args(kind)[0])
        if read is _same:
            return tuple
        return lambda data: tuple([read(item) for item in data])
    if kind is tuple:
        return tuple
    if isinstance(kind, type) and is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = tuple(field.name for field in fields(kind) if field.init)
        reads = tuple(_decoder(hints[name]) for name in names)
        if all(read is _same for read in reads):
            return lambda data: kind(*[data[name] for name in names])
        pairs = tuple(zip(names, reads, strict=True))
        return lambda data: kind(*[read(data[name]) for name, read in pairs])
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    return _same
