"""How a feature plugs into the app: one `Feature` value, registered per app.

Each feature package has `feature() -> Feature` saying everything it adds:
its blueprints and commands, its menu entries, the panels it puts on other
features' pages, the ledger references it can describe, its `ledger verify`
invariants, its jobs, the start page it gives a role, its fields of
`GET /api/v1/me`, the words of its notifications, the signals it listens to (`pojo.signals`),
and its part of an employee's personal data download.
`create_app` registers them in `pojo.FEATURES` order with `register_feature`,
which keeps them in `app.extensions`, so two apps in one process (the tests
make hundreds) never share a registration; `installed()` reads them back.

This module imports no feature when loaded (the values' types live in the
features that read them), so any layer may import it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, NamedTuple

from flask import Blueprint, Flask, current_app

EXTENSION = "pojo.features"


class MeField(NamedTuple):
    """A field a feature adds to `GET /api/v1/me`: `provider(employee)` gives the value,
    `schema` (a `pojo.api` field, e.g. `Nested(Goal, allow_none=True)`) documents it."""

    name: str
    provider: Callable[[Any], object]
    schema: object


@dataclass(frozen=True)
class Feature:
    name: str
    blueprints: tuple[Blueprint, ...] = ()
    # Under /api/v1: CSRF-exempt, because only a bearer token authenticates them.
    api_blueprints: tuple[Blueprint, ...] = ()
    commands: tuple = ()  # click commands and groups for `flask --app pojo ...`
    nav: tuple = ()  # pojo.web.NavItem, placed by their order among every feature's
    # page -> provider(**context) returning (template, context) or None: a panel on another
    # feature's page without that page importing this feature.
    sections: Mapping[str, Callable] = field(default_factory=dict)
    # reference kind -> pojo.ledger.references describer; several features may describe one kind.
    references: Mapping[str, Callable] = field(default_factory=dict)
    checks: tuple = ()  # pojo.ledger.verify.Check: invariants `flask ledger verify` runs
    jobs: tuple = ()  # pojo.jobs.registry.Job
    # role -> endpoint the front door sends it to; a later feature overrides an earlier one.
    start_pages: Mapping[str, str] = field(default_factory=dict)
    me_fields: tuple[MeField, ...] = ()
    template_globals: Mapping[str, Callable] = field(default_factory=dict)
    # notification kind -> text(params, language): the feature words its own notices.
    notices: Mapping[str, Callable] = field(default_factory=dict)
    # pojo.signals signal -> receiver(app, **payload), connected for this app only.
    receivers: Mapping[Any, Callable] = field(default_factory=dict)
    # reward kind -> prepare(actor, reward, details, at): checks what a redemption of that kind
    # needs (a shift for `shift_swap`) before anything is charged, and returns attach(redemption),
    # called once the redemption exists. The market calls it; the feature owns the kind's rules.
    reward_kinds: Mapping[str, Callable] = field(default_factory=dict)
    # part name -> provider(employee) giving what this feature holds about that employee, as
    # JSON-ready values (no secrets: no token, hash or session id), at most
    # `pojo.bounds.PERSONAL_DATA_ROWS` rows a list. The download gathers them in feature order.
    personal_data: Mapping[str, Callable[[Any], object]] = field(default_factory=dict)
    # after_login(employee, next_path) -> a path or None: a page a login through the form opens
    # before going on to `next_path` (the guide's first-login tour); the first answer wins.
    after_login: Callable[[Any, str], str | None] | None = None
    models: ModuleType | None = None  # imported so migrations know its tables
    # Anything the fields above do not cover, run last (auth configures the login manager).
    setup: Callable[[Flask], None] | None = None


@dataclass
class Installed:
    """Everything the registered features add up to in one app, in registration order."""

    features: list[Feature] = field(default_factory=list)
    nav: list = field(default_factory=list)
    sections: dict[str, list[Callable]] = field(default_factory=dict)
    references: dict[str, list[Callable]] = field(default_factory=dict)
    checks: list = field(default_factory=list)
    jobs: dict = field(default_factory=dict)
    start_pages: dict[str, str] = field(default_factory=dict)
    me_fields: dict[str, MeField] = field(default_factory=dict)
    notices: dict[str, Callable] = field(default_factory=dict)
    reward_kinds: dict[str, Callable] = field(default_factory=dict)
    personal_data: dict[str, Callable] = field(default_factory=dict)
    after_login: list[Callable] = field(default_factory=list)

    def add(self, feature: Feature) -> None:
        if any(known.name == feature.name for known in self.features):
            raise ValueError(f"feature {feature.name!r} is registered already")
        self.features.append(feature)
        # Stable: equal orders keep registration order.
        self.nav = sorted([*self.nav, *feature.nav], key=lambda item: item.order)
        for page, provider in feature.sections.items():
            self.sections.setdefault(page, []).append(provider)
        for kind, describer in feature.references.items():
            self.references.setdefault(kind, []).append(describer)
        self.checks.extend(feature.checks)
        self.jobs.update((job.name, job) for job in feature.jobs)
        self.start_pages.update(feature.start_pages)
        self.me_fields.update((me_field.name, me_field) for me_field in feature.me_fields)
        self.notices.update(feature.notices)
        self.reward_kinds.update(feature.reward_kinds)
        taken = set(self.personal_data) & set(feature.personal_data)
        if taken:
            raise ValueError(f"personal data parts {sorted(taken)} are another feature's")
        self.personal_data.update(feature.personal_data)
        if feature.after_login:
            self.after_login.append(feature.after_login)


def installed(app: Flask | None = None) -> Installed:
    """What the features of `app` (by default the current one) registered."""
    return (app or current_app).extensions.setdefault(EXTENSION, Installed())


def register_feature(app: Flask, feature: Feature) -> None:
    """Plug `feature` into `app`: the one way a feature adds anything to the app."""
    installed(app).add(feature)
    for blueprint in feature.blueprints:
        app.register_blueprint(blueprint)
    for blueprint in feature.api_blueprints:
        # An API blueprint knows how it joins the app (CSRF-exempt, documented): see pojo.api.
        blueprint.register_api(app)
    for command in feature.commands:
        app.cli.add_command(command)
    for name, function in feature.template_globals.items():
        app.add_template_global(function, name)
    for signal, receiver in feature.receivers.items():
        # Sent with the app as sender, so another app's receivers are not called; the
        # connection ends with the app (blinker holds the sender weakly).
        signal.connect(receiver, sender=app, weak=False)
    if feature.setup:
        feature.setup(app)
