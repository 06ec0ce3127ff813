"""The reward catalogue: HR's settings of each reward, validated as a whole."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from pojo import bounds
from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import InvalidInput, NotFound
from pojo.extensions import db
from pojo.market import demand
from pojo.market.models import (
    CATEGORIES,
    LIMIT_PERIODS,
    PRICE_SETTINGS,
    REWARD_KINDS,
    REWARD_SETTINGS,
    TAX_TREATMENTS,
    Reward,
)
from pojo.market.policy import MANAGE_CATALOGUE
from pojo.market.pricing import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_STEP_PCT,
    EXPECTED_PER_30D,
    HALF_LIFE_DAYS,
    STEP_PCT,
    PriceSettings,
    validate_settings,
)
from pojo.people.models import Employee
from pojo.policy import require
from pojo.rows import get_row, lock_row

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
MAX_POINTS = 1_000_000

# What a new reward has for a setting its creator leaves out (the rest are required).
# The floor and ceiling then follow the base price: see `create_reward`.
NEW_REWARD = {
    "description_en": "",
    "description_fi": "",
    "category": "item",
    "kind": "standard",
    "floor_price": None,
    "ceiling_price": None,
    "stock": None,
    "per_person_limit": None,
    "limit_period": None,
    "expected_per_30d": 4,
    "max_step_pct": DEFAULT_STEP_PCT,
    "half_life_days": DEFAULT_HALF_LIFE_DAYS,
    "active": True,
    "image": None,
    "image_type": None,
    "tax_treatment": "taxable",
    "income_type_code": None,
    "value_cents": None,
}


def _check_catalogue_actor(actor: Employee | None) -> None:
    # None is the system: a command-line set-up by whoever runs the server.
    if actor is not None:
        require(actor, MANAGE_CATALOGUE)


def _whole(
    value, field: str, *, minimum: int, maximum: int = MAX_POINTS, optional: bool = False
) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InvalidInput(
            _("Give a whole number from %(low)s to %(high)s.", low=minimum, high=maximum),
            field=field,
        )
    return value


def _clean_reward_fields(fields: dict) -> dict:
    """Validate a reward's complete settings; raise InvalidInput naming the field."""
    for name in ("name_en", "name_fi"):
        fields[name] = (fields[name] or "").strip()
        if not fields[name] or len(fields[name]) > 120:
            raise InvalidInput(_("A name of 1 to 120 characters is needed."), field=name)
    for name in ("description_en", "description_fi"):
        fields[name] = (fields[name] or "").strip()
    if fields["category"] not in CATEGORIES:
        raise InvalidInput(_("Choose one of the categories."), field="category")
    if fields["kind"] not in REWARD_KINDS:
        raise InvalidInput(_("Unknown kind of reward."), field="kind")
    for name in ("base_price", "floor_price", "ceiling_price"):
        _whole(fields[name], name, minimum=1)
    _whole(fields["expected_per_30d"], "expected_per_30d", minimum=1, maximum=EXPECTED_PER_30D[1])
    _whole(fields["max_step_pct"], "max_step_pct", minimum=STEP_PCT[0], maximum=STEP_PCT[1])
    _whole(
        fields["half_life_days"],
        "half_life_days",
        minimum=HALF_LIFE_DAYS[0],
        maximum=HALF_LIFE_DAYS[1],
    )
    _whole(fields["stock"], "stock", minimum=0, optional=True)
    _whole(fields["per_person_limit"], "per_person_limit", minimum=1, optional=True)
    if fields["per_person_limit"] is None:
        fields["limit_period"] = None
    elif fields["limit_period"] not in LIMIT_PERIODS:
        raise InvalidInput(_("Choose the period the limit applies to."), field="limit_period")
    problems = validate_settings(_price_settings(fields))
    if problems:
        message, values = problems[0]
        raise InvalidInput(_(message, **values), field="base_price")
    if fields["image"] is not None and fields["image_type"] not in IMAGE_TYPES:
        raise InvalidInput(_("The image must be PNG, JPEG, WebP or GIF."), field="image")
    if fields["image"] is None:
        fields["image_type"] = None
    fields["active"] = bool(fields["active"])
    _clean_payroll_fields(fields)
    return fields


def _clean_payroll_fields(fields: dict) -> None:
    """The tax treatment, the income-type code (printable, bounded; empty: none) and the value."""
    if fields["tax_treatment"] not in TAX_TREATMENTS:
        raise InvalidInput(_("Choose taxable or tax-free."), field="tax_treatment")
    code = (fields["income_type_code"] or "").strip()
    if len(code) > bounds.INCOME_TYPE_CODE_LENGTH or not code.isprintable():
        raise InvalidInput(
            _(
                "An income-type code of at most %(count)s letters and digits.",
                count=bounds.INCOME_TYPE_CODE_LENGTH,
            ),
            field="income_type_code",
        )
    fields["income_type_code"] = code or None
    value = fields["value_cents"]
    if value is not None and not bounds.VALUE_CENTS.holds(value):
        raise InvalidInput(_("The value in euros is out of range."), field="value_cents")


def _known(settings: dict) -> dict:
    # A misspelt setting is a programming error, as an unknown keyword argument would be.
    unknown = set(settings) - set(REWARD_SETTINGS)
    if unknown:
        raise TypeError(f"unknown reward fields: {sorted(unknown)}")
    return settings


def _new_reward_fields(settings: dict) -> dict:
    """A new reward's complete, validated settings: `NEW_REWARD` for those left out."""
    fields = _known({**NEW_REWARD, **settings})
    missing = set(REWARD_SETTINGS) - set(fields)
    if missing:
        raise TypeError(f"missing reward fields: {sorted(missing)}")
    base_price = _whole(fields["base_price"], "base_price", minimum=1)
    if fields["floor_price"] is None:
        fields["floor_price"] = max(1, int(base_price * 0.6 + 0.5))
    if fields["ceiling_price"] is None:
        fields["ceiling_price"] = base_price * 2
    return _clean_reward_fields(fields)


def create_reward(actor: Employee | None, *, at: datetime | None = None, **settings) -> Reward:
    """Add a reward (HR and admin) with these `REWARD_SETTINGS`, defaulted as in `NEW_REWARD`.

    `name_en`, `name_fi` and `base_price` are required. The floor defaults
    to 60 % of the base, the ceiling to twice it. It opens at its base price
    at `at` (default now; the demo backdates it).
    """
    _check_catalogue_actor(actor)
    at = at or utcnow()
    reward = Reward(**_new_reward_fields(settings), created_at=at)
    db.session.add(reward)
    db.session.flush()
    demand.record_opening(reward, at)
    db.session.flush()
    audit.record(actor, "reward.created", _subject(reward), None, _state(reward))
    return reward


def _state(reward: Reward) -> dict:
    """What the audit log keeps of a reward's settings (the image as its type only)."""
    return audit.snapshot(reward, [name for name in REWARD_SETTINGS if name != "image"])


def _subject(reward: Reward) -> audit.Subject:
    return audit.Subject("reward", reward.id, reward.name_en)


def list_rewards() -> list[Reward]:
    """Every reward, active first, for the catalogue editor."""
    query = select(Reward).order_by(Reward.active.desc(), Reward.category, Reward.name_en)
    return list(db.session.scalars(query))


def get_reward(reward_id: int) -> Reward:
    """The reward with this id, or NotFound."""
    reward = get_row(Reward, reward_id)
    if reward is None:
        raise NotFound(_("No such reward."))
    return reward


def lock_reward(reward_id: int) -> Reward:
    """The reward with a write lock (FOR UPDATE): the first lock any market change takes."""
    reward = lock_row(Reward, reward_id)
    if reward is None:
        raise NotFound(_("No such reward."))
    return reward


def update_reward(
    actor: Employee | None, reward_id: int, *, at: datetime | None = None, **changes
) -> Reward:
    """Change a reward's settings (HR and admin); fields as in `create_reward`.

    Without `image` the current image stays; `image=None` removes it.
    """
    _check_catalogue_actor(actor)
    _known(changes)
    reward = lock_reward(reward_id)
    fields = {name: getattr(reward, name) for name in REWARD_SETTINGS}
    fields.update(changes)
    cleaned = _clean_reward_fields(fields)
    old = demand.settings_of(reward)
    before = _state(reward)
    new_image = "image" in changes and changes["image"] != reward.image
    for name, value in cleaned.items():
        if getattr(reward, name) != value:
            setattr(reward, name, value)
    # New price settings take effect from now; the recorded prices before stay as they were.
    demand.record_settings(reward, old, at or utcnow())
    db.session.flush()
    after = _state(reward)
    if new_image:
        before["image_changed"], after["image_changed"] = False, True
    if after != before:
        withdrawn = before["active"] and not after["active"]
        audit.record(
            actor,
            "reward.archived" if withdrawn else "reward.edited",
            _subject(reward),
            before,
            after,
        )
    return reward


def preview_price(reward_id: int, **changes) -> demand.Preview:
    """The price now and with the changed settings, for HR's editor; changes nothing."""
    reward = get_reward(reward_id)
    fields = {name: getattr(reward, name) for name in REWARD_SETTINGS}
    fields.update(_known(changes))
    return demand.preview_settings(reward, _price_settings(_clean_reward_fields(fields)), utcnow())


def preview_new_reward(**settings) -> demand.Preview:
    """What a reward not yet created would open at and rest at, for HR's editor; adds nothing."""
    return demand.preview_opening(_price_settings(_new_reward_fields(settings)), utcnow())


def _price_settings(fields: dict) -> PriceSettings:
    return PriceSettings(**{name: fields[column] for name, column in PRICE_SETTINGS.items()})
