"""The access matrix: every route and method of the URL map against every kind of visitor.

Read from the rules the routes declare (`pojo.web.allow`, `bp.api_view`), so it
is the policy itself, not a copy: docs/access.md prints it
(`flask --app pojo access table > docs/access.md`) and
tests/test_access_matrix.py sends every request it lists and checks the answer.
A cell is the route's gate; a view acting on one thing then asks the
capability's object rule (docs/architecture.md, "Who may do what").
"""

from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from pojo.policy import EVERYONE, PUBLIC, ROLES, Capability, permits

API_PREFIX = "/api/"
IGNORED_METHODS = {"HEAD", "OPTIONS"}  # answered by Flask itself, as GET or the allowed list


@dataclass(frozen=True)
class Visitor:
    """One column of the matrix: who is asking (role None: nobody logged in).

    The gate sees only the role; the temp and the two supervisors differ in the
    objects they may act on, which tests/test_access_matrix.py checks.
    """

    label: str
    role: str | None


AGENT, SUPERVISOR, HR, ADMIN = ROLES  # the policy's one list of roles
VISITORS = (
    Visitor("anonymous", None),
    Visitor("agent", AGENT),
    Visitor("temp agent", AGENT),
    Visitor("supervisor of the team", SUPERVISOR),
    Visitor("supervisor of another team", SUPERVISOR),
    Visitor("HR", HR),
    Visitor("admin", ADMIN),
)

ALLOWED = "allowed"
REFUSED = "refused"  # 403
LOGIN = "login"  # a visitor is sent to the login page (HTML)
UNAUTHORIZED = "unauthorized"  # 401 without a bearer token (API)


@dataclass(frozen=True)
class Route:
    """One method of one URL rule, with the access rule its view declares (None: none)."""

    rule: str
    method: str
    endpoint: str
    access_rule: object
    api: bool
    # The capability whose object rule the view asks for the thing the URL names, if any.
    object_rule: Capability | None = None

    @property
    def rule_name(self) -> str:
        if isinstance(self.access_rule, Capability):
            return self.access_rule.name
        return str(self.access_rule)


class _Role:
    """Who `permits` asks about: a logged-in employee of this role."""

    is_authenticated = True

    def __init__(self, role: str):
        self.role = role


def routes(app: Flask) -> list[Route]:
    """Every route and method in `app`'s URL map but the static files, in path order."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append(
                Route(
                    rule=rule.rule,
                    method=method,
                    endpoint=rule.endpoint,
                    access_rule=getattr(view, "access_rule", None),
                    api=rule.rule.startswith(API_PREFIX),
                    object_rule=getattr(view, "object_rule", None),
                )
            )
    return sorted(found, key=lambda r: (r.rule, r.method))


def outcome(route: Route, visitor: Visitor) -> str:
    """What the route's gate answers this visitor: ALLOWED, REFUSED, LOGIN or UNAUTHORIZED."""
    rule = route.access_rule
    if rule is None:
        raise ValueError(f"{route.rule} ({route.endpoint}) declares no access rule")
    if rule == PUBLIC:
        return ALLOWED
    if visitor.role is None:
        return UNAUTHORIZED if route.api else LOGIN
    return ALLOWED if permits(_Role(visitor.role), rule) else REFUSED


_CELLS = {ALLOWED: "✓", REFUSED: "403", LOGIN: "login", UNAUTHORIZED: "401"}


def markdown_table(app: Flask) -> str:
    """The matrix as docs/access.md shows it, after the command that writes it."""
    lines = [
        "<!-- Generated: flask --app pojo access table > docs/access.md -->",
        "# Who may use each route",
        "",
        "Regenerate with `flask --app pojo access table > docs/access.md`;",
        "tests/test_access_matrix.py fails when this file is stale and sends every request below.",
        "",
        f"✓: the route's gate lets the visitor in; 403: refused; login: sent to the login page;"
        f" 401: an API call without a valid token. `{EVERYONE}` is any logged-in active employee,"
        f" `{PUBLIC}` anyone. The gate sees only the role; where the URL names one thing (an"
        " employee, a shift, a swap, an import, a token), the view then asks the object rule of"
        " the last column's capability for it, so a supervisor of another team passes the gate"
        " but is refused this team's members, shifts and swaps.",
        "",
        "| Route | Method | Access | "
        + " | ".join(v.label for v in VISITORS)
        + " | Then, for the thing named |",
        "|---|---|---|" + "---|" * len(VISITORS) + "---|",
    ]
    for route in routes(app):
        cells = " | ".join(_CELLS[outcome(route, v)] for v in VISITORS)
        then = route.object_rule
        named = f"`{then.name}`: {then.object_rule}" if then else ""
        lines.append(
            f"| `{route.rule}` | {route.method} | `{route.rule_name}` | {cells} | {named} |"
        )
    return "\n".join(lines) + "\n"


cli = AppGroup("access", help="Who may use each route.")


@cli.command("table")
def table_command():
    """Print the access matrix as markdown (docs/access.md)."""
    click.echo(markdown_table(current_app), nl=False)
