"""The reward catalogue: HR's settings of each reward, validated as a whole."""

from flask_babel import gettext as _
from sqlalchemy import select

from pojo.errors import Forbidden, InvalidInput, NotFound
from pojo.extensions import db
from pojo.market.models import CATEGORIES, LIMIT_PERIODS, REWARD_KINDS, Reward, get_row
from pojo.market.pricing import PriceSettings, validate_settings
from pojo.people.models import Employee

CATALOGUE_ROLES = ("hr", "admin")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
MAX_POINTS = 1_000_000

REWARD_FIELDS = (
    "name_en",
    "name_fi",
    "description_en",
    "description_fi",
    "category",
    "kind",
    "base_price",
    "floor_price",
    "ceiling_price",
    "stock",
    "per_person_limit",
    "limit_period",
    "expected_per_30d",
    "active",
    "image",
    "image_type",
)


def _check_catalogue_actor(actor: Employee | None) -> None:
    # None is the system: a command-line set-up by whoever runs the server.
    if actor is not None and actor.role not in CATALOGUE_ROLES:
        raise Forbidden(_("Only HR and admin manage the rewards."))


def _whole(value, field: str, *, minimum: int, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_POINTS:
        raise InvalidInput(
            _("Give a whole number from %(low)s to %(high)s.", low=minimum, high=MAX_POINTS),
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
    for name in ("base_price", "floor_price", "ceiling_price", "expected_per_30d"):
        _whole(fields[name], name, minimum=1)
    _whole(fields["stock"], "stock", minimum=0, optional=True)
    _whole(fields["per_person_limit"], "per_person_limit", minimum=1, optional=True)
    if fields["per_person_limit"] is None:
        fields["limit_period"] = None
    elif fields["limit_period"] not in LIMIT_PERIODS:
        raise InvalidInput(_("Choose the period the limit applies to."), field="limit_period")
    problems = validate_settings(
        PriceSettings(
            fields["base_price"],
            fields["floor_price"],
            fields["ceiling_price"],
            fields["expected_per_30d"],
        )
    )
    if problems:
        raise InvalidInput(_(problems[0]), field="base_price")
    if fields["image"] is not None and fields["image_type"] not in IMAGE_TYPES:
        raise InvalidInput(_("The image must be PNG, JPEG, WebP or GIF."), field="image")
    if fields["image"] is None:
        fields["image_type"] = None
    fields["active"] = bool(fields["active"])
    return fields


def create_reward(
    actor: Employee | None,
    *,
    name_en: str,
    name_fi: str,
    description_en: str = "",
    description_fi: str = "",
    category: str = "item",
    kind: str = "standard",
    base_price: int,
    floor_price: int | None = None,
    ceiling_price: int | None = None,
    stock: int | None = None,
    per_person_limit: int | None = None,
    limit_period: str | None = None,
    expected_per_30d: int = 4,
    active: bool = True,
    image: bytes | None = None,
    image_type: str | None = None,
) -> Reward:
    """Add a reward (HR and admin). Floor defaults to 60 % of base, ceiling to twice it."""
    _check_catalogue_actor(actor)
    fields = dict(locals())
    del fields["actor"]
    _whole(base_price, "base_price", minimum=1)
    if floor_price is None:
        fields["floor_price"] = max(1, int(base_price * 0.6 + 0.5))
    if ceiling_price is None:
        fields["ceiling_price"] = base_price * 2
    reward = Reward(**_clean_reward_fields(fields))
    db.session.add(reward)
    db.session.flush()
    return reward


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
    if get_row(Reward, reward_id) is None:
        raise NotFound(_("No such reward."))
    reward = db.session.scalars(
        select(Reward)
        .where(Reward.id == reward_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if reward is None:
        raise NotFound(_("No such reward."))
    return reward


def update_reward(actor: Employee | None, reward_id: int, **changes) -> Reward:
    """Change a reward's settings (HR and admin); fields as in `create_reward`.

    Without `image` the current image stays; `image=None` removes it.
    """
    _check_catalogue_actor(actor)
    unknown = set(changes) - set(REWARD_FIELDS)
    if unknown:
        raise TypeError(f"unknown reward fields: {sorted(unknown)}")
    reward = lock_reward(reward_id)
    fields = {name: getattr(reward, name) for name in REWARD_FIELDS}
    fields.update(changes)
    for name, value in _clean_reward_fields(fields).items():
        setattr(reward, name, value)
    db.session.flush()
    return reward
