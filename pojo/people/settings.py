"""HR's site-wide settings: a small store of named choices with their defaults."""

from flask_babel import gettext as _

from pojo.database import utcnow
from pojo.errors import InvalidInput
from pojo.extensions import db
from pojo.people.models import UNSPENT_POINTS, Employee, Setting
from pojo.people.policy import MANAGE_CONTRACTS
from pojo.policy import require

# name -> (allowed values, default)
SETTINGS = {"unspent_points": (UNSPENT_POINTS, "keep")}


def get_setting(name: str) -> str:
    """The setting's stored value, else its default."""
    row = db.session.get(Setting, name)
    return row.value if row is not None else SETTINGS[name][1]


def set_setting(actor: Employee, name: str, value: str) -> bool:
    """Store HR's choice; True when it changed (saving the same value writes nothing)."""
    require(actor, MANAGE_CONTRACTS)
    allowed, _default = SETTINGS[name]
    if value not in allowed:
        raise InvalidInput(_("Choose one of the options."), field=name)
    row = db.session.get(Setting, name)
    if row is None:
        if value == get_setting(name):
            return False
        db.session.add(Setting(name=name, value=value, updated_by_id=actor.id))
    elif row.value == value:
        return False
    else:
        row.value, row.updated_at, row.updated_by_id = value, utcnow(), actor.id
    db.session.flush()
    return True
