"""Forms of the exchange: redeeming, goals, the HR queue and the reward editor."""

import io

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from PIL import Image, ImageOps
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from pojo import bounds
from pojo.bounds import EuroField, WholeNumberField
from pojo.market.models import CATEGORIES, LIMIT_PERIODS, REWARD_SETTINGS, TAX_TREATMENTS
from pojo.market.pricing import DEFAULT_HALF_LIFE_DAYS, DEFAULT_STEP_PCT
from pojo.search import DateRangeMixin, ListFilterForm

CATEGORY_LABELS = {
    "experience": _l("Experience"),
    "item": _l("Item"),
    "wellbeing": _l("Wellbeing"),
    "time_off": _l("Time off and shifts"),
}
TAX_LABELS = {"taxable": _l("Taxable pay"), "tax_free": _l("Tax-free")}
PERIOD_LABELS = {"month": _l("per month"), "quarter": _l("per quarter"), "year": _l("per year")}

# Formats a browser shows everywhere, by what Pillow finds in the bytes (never the file name).
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
# A small file can still decode to a huge bitmap; refuse before decoding it.
MAX_IMAGE_PIXELS = 25_000_000
IMAGE_BOX = (1200, 1200)


class RedeemForm(FlaskForm):
    """Redeem like a limit order: `max_price` is the price the employee saw."""

    reward = WholeNumberField(bound=bounds.ROW_ID, widget=HiddenInput())
    max_price = WholeNumberField(bound=bounds.ACCEPTED_PRICE, widget=HiddenInput())
    request_id = HiddenField(validators=[DataRequired(), Length(max=64)])
    # Shift-swap rewards: the shift to swap away, and optionally the one colleague offered it.
    shift = WholeNumberField(bound=bounds.ROW_ID, required=False)
    offered_to = WholeNumberField(bound=bounds.ROW_ID, required=False)


class GoalForm(FlaskForm):
    reward = WholeNumberField(bound=bounds.ROW_ID, widget=HiddenInput())


class CancelForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Tell the employee why.")), Length(max=500)],
        description=_l("The employee sees this with the refund."),
    )


def clean_image(data: bytes) -> tuple[bytes, str]:
    """Check that `data` really is a PNG, JPEG, WebP or GIF and re-encode it.

    Re-encoding keeps only the pixels: no camera location data, no appended
    payload. Animated images keep their first frame. Raises ValueError with a
    message for people.
    """
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(_l("The image is larger than 2 MB."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except Exception:  # Pillow raises many kinds for a file that is no image
        raise ValueError(_l("This file is not an image we can show.")) from None
    if image_format not in IMAGE_TYPES:
        raise ValueError(_l("Upload a PNG, JPEG, WebP or GIF image."))
    if width * height > MAX_IMAGE_PIXELS:
        raise ValueError(_l("The image is too large in pixels."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(IMAGE_BOX)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=image_format)
    except Exception:  # damaged pixel data passes verify() but fails to decode
        raise ValueError(_l("This file is not an image we can show.")) from None
    return out.getvalue(), IMAGE_TYPES[image_format]


class ImageUpload:
    """Validator: the uploaded file must be a real image; keeps the cleaned bytes on the field."""

    def __call__(self, form, field):
        field.cleaned = None
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        try:
            field.cleaned = clean_image(upload.read(MAX_IMAGE_BYTES + 1))
        except ValueError as error:
            raise ValidationError(str(error.args[0])) from None


def _blank_to_none(value):
    return None if value in ("", None) else value


# What each of the reward's numbers means, under its field; an optional one says what empty means.
# They describe `pojo.market.pricing`: keep them true to it.
_HELP = {
    "base_price": _l(
        "The price a new reward opens at, and stays near while redeemed as often as expected."
    ),
    "floor_price": _l(
        "The lowest the price can go. When nobody redeems, the price eases down to its "
        "resting level, often above the floor: the preview shows it. Empty: 60 percent of base."
    ),
    "ceiling_price": _l("The highest the price can go, however popular. Empty: twice the base."),
    "expected_per_30d": _l(
        "Redeemed this often, the price stays near base; more often raises it, "
        "less often lets it ease down toward the resting level."
    ),
    "max_step_pct": _l("The most one redemption raises the price, in percent (1 to 25). Empty: 8."),
    "half_life_days": _l(
        "Without redemptions, demand halves in this many days and the price eases down, "
        "at most half a step a day. Empty: 14."
    ),
    "stock": _l("Empty: unlimited."),
    "per_person_limit": _l("Empty: no limit."),
}


def _optional(label, bound: bounds.Bound, name: str) -> WholeNumberField:
    """A number HR may leave empty (the catalogue then chooses it, or it means none)."""
    return WholeNumberField(label, bound, required=False, description=_HELP[name])


class RewardForm(FlaskForm):
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    name_fi = StringField(_l("Name in Finnish"), validators=[DataRequired(), Length(max=120)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=2000)])
    description_fi = TextAreaField(_l("Description in Finnish"), validators=[Length(max=2000)])
    category = SelectField(_l("Category"), choices=[(c, CATEGORY_LABELS[c]) for c in CATEGORIES])
    image = FileField(
        _l("Image"),
        validators=[ImageUpload()],
        description=_l(
            "PNG, JPEG, WebP or GIF, at most 2 MB. Leave empty to keep the current one."
        ),
    )
    remove_image = BooleanField(_l("Remove the current image"))
    base_price = WholeNumberField(_l("Base price"), bounds.PRICE, description=_HELP["base_price"])
    floor_price = _optional(_l("Floor price"), bounds.PRICE, "floor_price")
    ceiling_price = _optional(_l("Ceiling price"), bounds.PRICE, "ceiling_price")
    expected_per_30d = WholeNumberField(
        _l("Expected redemptions per 30 days"),
        bounds.EXPECTED_PER_30D,
        default=4,
        description=_HELP["expected_per_30d"],
    )
    max_step_pct = WholeNumberField(
        _l("Max step per redemption (%)"),
        bounds.MAX_STEP_PCT,
        required=False,
        default=DEFAULT_STEP_PCT,
        description=_HELP["max_step_pct"],
    )
    half_life_days = WholeNumberField(
        _l("Half-life of demand (days)"),
        bounds.HALF_LIFE_DAYS,
        required=False,
        default=DEFAULT_HALF_LIFE_DAYS,
        description=_HELP["half_life_days"],
    )
    stock = _optional(_l("Stock left"), bounds.STOCK, "stock")
    per_person_limit = _optional(
        _l("Limit per person"), bounds.PER_PERSON_LIMIT, "per_person_limit"
    )
    limit_period = SelectField(
        _l("Limit period"),
        choices=[("", _l("No limit"))] + [(p, PERIOD_LABELS[p]) for p in LIMIT_PERIODS],
        filters=[_blank_to_none],
        validate_choice=False,
    )
    active = BooleanField(_l("On the market (untick to withdraw it)"), default=True)
    tax_treatment = SelectField(
        _l("Tax treatment"),
        choices=[(t, TAX_LABELS[t]) for t in TAX_TREATMENTS],
        default="taxable",
        description=_l(
            "A reward for work performance is taxable pay; some perks, such as an extra day "
            "off, are not. Ask payroll when unsure."
        ),
    )
    income_type_code = StringField(
        _l("Income-type code"),
        validators=[Length(max=bounds.INCOME_TYPE_CODE_LENGTH)],
        filters=[lambda value: (value or "").strip() or None],
        description=_l("The code your payroll system uses for it. Optional."),
    )
    value_cents = EuroField(
        _l("Value in euros"),
        description=_l("What it is worth for payroll, e.g. 12,50. Empty: no value set."),
    )
    # The second submit button: show the form again with the price it would make, unsaved.
    preview = SubmitField(_l("Preview price"))

    def validate_limit_period(self, field):
        if field.data not in (None, *LIMIT_PERIODS):
            raise ValidationError(_l("Not a valid choice."))

    def reward_fields(self) -> dict:
        """The catalogue's settings from the form; the image only when it changes."""
        # The form has every setting but the kind (set where rewards are created) and the image.
        fields = {
            name: self[name].data
            for name in REWARD_SETTINGS
            if name in self and name not in ("image", "image_type")
        }
        # Left empty: the engine's defaults.
        if fields["max_step_pct"] is None:
            fields["max_step_pct"] = DEFAULT_STEP_PCT
        if fields["half_life_days"] is None:
            fields["half_life_days"] = DEFAULT_HALF_LIFE_DAYS
        fields["description_en"] = fields["description_en"] or ""
        fields["description_fi"] = fields["description_fi"] or ""
        cleaned = getattr(self.image, "cleaned", None)
        if cleaned:
            fields["image"], fields["image_type"] = cleaned
        elif self.remove_image.data:
            fields["image"], fields["image_type"] = None, None
        return fields


class QueueFilterForm(DateRangeMixin, ListFilterForm):
    """The redemption list's search and filters (a GET form: no CSRF); pending by default."""

    status = SelectField(
        _l("Status"),
        choices=[
            ("pending", _l("Waiting to be handed over")),
            ("fulfilled", _l("Handed over")),
            ("cancelled", _l("Cancelled")),
            ("any", _l("Any status")),
        ],
        default="pending",
        validators=[Optional()],
    )
    reward = SelectField(_l("Reward"), validators=[Optional()])
    team = SelectField(_l("Team"), validators=[Optional()])

    def narrows(self, field) -> bool:
        """The pending queue is the list itself, not a filter of it."""
        return super().narrows(field) and not (field.name == "status" and field.data == "pending")
