"""What an audit entry changed, field by field: pure, no Flask and no database."""

from typing import NamedTuple


class Change(NamedTuple):
    field: str
    before: object  # None when the field was not there (a thing created)
    after: object  # None when it is gone


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields whose values differ between the two states, in the order they were given.

    A thing created (no `before`) lists every field it was made with; one removed
    (no `after`) every field it had. Unchanged fields are left out.
    """
    before, after = before or {}, after or {}
    fields = list(dict.fromkeys([*before, *after]))
    return [
        Change(name, before.get(name), after.get(name))
        for name in fields
        if before.get(name) != after.get(name)
    ]


def shown(value: object) -> str:
    """A stored value as the page writes it: lists joined, nothing as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {shown(item)}" for key, item in value.items()) or "–"
    return str(value)
