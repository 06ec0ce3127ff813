"""HR's site-wide settings: a small store of named choices with their defaults.

A setting is one of a few words (`unspent_points`: keep or expire), a whole
number within bounds (`swap_deadline_hours`) or a short line of text of at most
`length` printable characters (`payroll_company_name`); each names the
capability that may change it. Stored as text; read back as the setting's type.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import InvalidInput
from pojo.extensions import db
from pojo.people.models import UNSPENT_POINTS, Employee, Setting
from pojo.people.policy import MANAGE_CONTRACTS
from pojo.policy import Capability, require


@dataclass(frozen=True)
class Spec:
    default: str | int
    capability: Capability
    choices: tuple[str, ...] = ()
    # Whole-number settings: the bounds, inclusive.
    least: int = 0
    most: int = 0
    # Text settings: the most characters (0: not a text setting). Stored trimmed.
    length: int = 0


SETTINGS: dict[str, Spec] = {"unspent_points": Spec("keep", MANAGE_CONTRACTS, UNSPENT_POINTS)}


def define_setting(name: str, spec: Spec) -> None:
    """A feature adds a setting of its own (at import, before any request reads it)."""
    SETTINGS.setdefault(name, spec)


def _parse(spec: Spec, value: str | int) -> str | int | None:
    if spec.choices:
        return value if value in spec.choices else None
    if spec.length:
        if not isinstance(value, str):
            return None
        text = value.strip()
        return text if len(text) <= spec.length and text.isprintable() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit() or len(text) > 6:
            return None
        value = int(text)
    if not isinstance(value, int) or not spec.least <= value <= spec.most:
        return None
    return value


def get_setting(name: str) -> str | int:
    """The setting's stored value, else its default."""
    spec = SETTINGS[name]
    row = db.session.get(Setting, name)
    if row is None:
        return spec.default
    parsed = _parse(spec, row.value)
    return spec.default if parsed is None else parsed


def get_settings(names: tuple[str, ...]) -> dict[str, str | int]:
    """Several settings' values (each its default where unset) in one statement."""
    found = dict(
        db.session.execute(
            db.select(Setting.name, Setting.value).where(Setting.name.in_(names))
        ).all()
    )
    values = {}
    for name in names:
        spec = SETTINGS[name]
        parsed = None if name not in found else _parse(spec, found[name])
        values[name] = spec.default if parsed is None else parsed
    return values


def set_setting(actor: Employee, name: str, value: str | int) -> bool:
    """Store HR's choice; True when it changed (saving the same value writes nothing)."""
    spec = SETTINGS[name]
    require(actor, spec.capability)
    parsed = _parse(spec, value)
    if parsed is None:
        if spec.choices:
            raise InvalidInput(_("Choose one of the options."), field=name)
        if spec.length:
            raise InvalidInput(
                _("At most %(count)s characters on one line.", count=spec.length), field=name
            )
        raise InvalidInput(
            _("Give a whole number from %(least)s to %(most)s.", least=spec.least, most=spec.most),
            field=name,
        )
    before = get_setting(name)
    if parsed == before:
        return False
    row = db.session.get(Setting, name)
    if row is None:
        db.session.add(Setting(name=name, value=str(parsed), updated_by_id=actor.id))
    else:
        row.value, row.updated_at, row.updated_by_id = str(parsed), utcnow(), actor.id
    db.session.flush()
    audit.record(
        actor,
        "setting.changed",
        audit.Subject("setting", None, name),
        {name: before},
        {name: parsed},
    )
    return True
