"""HR's insights forms: the segment thresholds and the euro rate, whole numbers within bounds."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from pojo.bounds import EURO_CENTS_PER_100_POINTS, Bound, WholeNumberField
from pojo.forms import Present
from pojo.insights.thresholds import KNOBS

_LABELS = {
    "insights_new_days": _l("New: under this many days of history"),
    "insights_dormant_days": _l("Dormant: no redemption for this many days"),
    "insights_impulse_days": _l("Impulse: redeems within this many days of affording it"),
    "insights_impulse_carry_pct": _l(
        "Impulse: median balance at most this percentage of the cheapest price"
    ),
    "insights_saver_carry_pct": _l(
        "Saver: median balance at least this percentage of the lower third's price"
    ),
    "insights_saver_per_year": _l("Saver: at most this many redemptions a year"),
    "insights_saver_upper_share_pct": _l(
        "Saver: at least this percentage of spending on the dearest third"
    ),
}


class ThresholdsForm(FlaskForm):
    """One field per threshold (pojo.insights.thresholds.KNOBS)."""


for _knob in KNOBS:
    setattr(
        ThresholdsForm,
        _knob.setting,
        WholeNumberField(_LABELS[_knob.setting], Bound(_knob.least, _knob.most)),
    )


class EuroRateForm(FlaskForm):
    """What 100 points are worth, for the liability in euros."""

    euro_cents_per_100_points = WholeNumberField(
        _l("Euro cents per 100 points"), EURO_CENTS_PER_100_POINTS, validators=[Present()]
    )
