"""Who may do what: one policy that routes, services, the API and templates all ask.

A capability is something an employee may do, named in the feature's words
(`award`, `manage_catalogue`, `view_ledger`). It names the roles that hold it
and, when it acts on one thing, an object rule `check(actor, obj)` that
decides for that thing (a supervisor awards members of their own teams only).
Each feature defines its capabilities in `pojo/<feature>/policy.py`; they
register here, so `table()` lists every one of them: docs/architecture.md
shows that table and tests/test_policy.py keeps the two the same.

- `can(actor, capability)`: the actor's role holds it (a route's gate, a
  button). `can(actor, capability, obj)`: and the object rule allows it for
  `obj`. Pass the object wherever there is one.
- `require(...)`: the same, raising `Forbidden` with the capability's refusal,
  or `NotFound` for a capability that `hides` what one may not see.
- `permits(actor, rule)`: a route's rule, PUBLIC, EVERYONE or a capability.

Role names are compared with literals only in the policy modules
(tests/unit/test_policy_mechanism.py greps for it), so a reader finds every
rule here and in them.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from pojo.errors import Forbidden, NotFound

# Every role an employee can have, most junior first (the table's column order).
ROLES = ("agent", "supervisor", "hr", "admin")

PUBLIC = "public"  # a route anyone may use, logged in or not
EVERYONE = "everyone"  # a route any logged-in, active employee may use


class _Any:
    """`can` without an object: does the role hold the capability at all."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


@dataclass(frozen=True, eq=False)
class Capability:
    """One thing an employee may do; made with `capability()` so it is registered."""

    name: str
    roles: tuple[str, ...]
    description: str
    check: Callable[[Any, Any], bool] | None = None
    # What a refused actor is told (a lazy gettext string); require() raises it.
    refusal: object = None
    # Refused as NotFound: to whoever may not see the thing, it does not exist.
    hides: bool = False
    module: str = ""

    def given_to(self, role: str) -> bool:
        """True when this role holds the capability (for rules about a role, not an actor)."""
        return role in self.roles

    @property
    def object_rule(self) -> str:
        """The object rule in words: the first line of the check's docstring."""
        if self.check is None:
            return ""
        return (self.check.__doc__ or self.check.__name__).strip().splitlines()[0]

    def __repr__(self) -> str:
        return f"<Capability {self.name}>"


_REGISTRY: dict[str, Capability] = {}


def capability(
    name: str,
    roles: tuple[str, ...],
    description: str,
    *,
    check: Callable[[Any, Any], bool] | None = None,
    refusal: object = None,
    hides: bool = False,
) -> Capability:
    """Define and register a capability; call it at the top level of a feature's policy module."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"capability {name}: unknown or no roles {sorted(unknown)}")
    # The defining module, for the table's "defined in" column.
    module = sys._getframe(1).f_globals.get("__name__", "")
    found = _REGISTRY.get(name)
    if found is not None and found.module != module:
        raise ValueError(f"capability {name} is already defined in {found.module}")
    made = Capability(
        name=name,
        roles=tuple(role for role in ROLES if role in roles),
        description=description,
        check=check,
        refusal=refusal,
        hides=hides,
        module=module,
    )
    _REGISTRY[name] = made
    return made


def get(capability: "Capability | str") -> Capability:
    """The capability itself, or the registered one of that name (templates name them)."""
    if isinstance(capability, Capability):
        return capability
    try:
        return _REGISTRY[capability]
    except KeyError:
        raise KeyError(f"no capability named {capability!r}") from None


def _signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def can(actor, capability: Capability | str, obj: Any = ANY) -> bool:
    """True when `actor` may do this; with `obj`, for that object too."""
    found = get(capability)
    if not _signed_in(actor) or actor.role not in found.roles:
        return False
    if obj is ANY or found.check is None:
        return True
    return bool(found.check(actor, obj))


def require(
    actor, capability: Capability | str, obj: Any = ANY, *, message=None, **details
) -> None:
    """Raise Forbidden (NotFound for a capability that hides) unless `can(...)`.

    `message` replaces the capability's refusal; `details` become fields of the
    error (``field="role"`` puts a form's refusal under that field).
    """
    found = get(capability)
    if can(actor, found, obj):
        return
    message = message or found.refusal
    if message is None:
        raise TypeError(f"capability {found.name} has no refusal: pass message=")
    raise (NotFound if found.hides else Forbidden)(str(message), **details)


def check_rule(rule) -> None:
    """Refuse at import time a route rule that is not PUBLIC, EVERYONE or a capability."""
    if rule not in (PUBLIC, EVERYONE) and not isinstance(rule, Capability):
        raise TypeError(f"an access rule is PUBLIC, EVERYONE or a Capability, not {rule!r}")


def check_object_rule(rule) -> None:
    """Refuse at import time a route's object rule that is not a capability with a check."""
    if rule is not None and (not isinstance(rule, Capability) or rule.check is None):
        raise TypeError(f"an object rule is a Capability with an object check, not {rule!r}")


def permits(actor, rule) -> bool:
    """Whether a route's rule lets `actor` in (no object: views check objects themselves)."""
    if rule == PUBLIC:
        return True
    if rule == EVERYONE:
        return _signed_in(actor)
    return can(actor, rule)


class Row(NamedTuple):
    """One line of the policy table."""

    name: str
    roles: tuple[str, ...]
    object_rule: str
    description: str
    module: str


def table() -> list[Row]:
    """Every registered capability by feature, in the order each policy module defines them.

    Complete once the app is made: every feature's services import its policy.
    """
    ordered = sorted(_REGISTRY.values(), key=lambda c: c.module)  # stable: keeps definition order
    return [Row(c.name, c.roles, c.object_rule, c.description, c.module) for c in ordered]


def markdown_table() -> str:
    """The table as docs/architecture.md shows it."""
    lines = [
        "| Capability | " + " | ".join(ROLES) + " | Object rule | What it allows | Defined in |",
        "|---|" + "---|" * len(ROLES) + "---|---|---|",
    ]
    for row in table():
        held = " | ".join("✓" if role in row.roles else "" for role in ROLES)
        where = row.module.replace(".", "/") + ".py"
        lines.append(
            f"| `{row.name}` | {held} | {row.object_rule or '–'} | {row.description} | `{where}` |"
        )
    return "\n".join(lines)
