from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from pojo.bounds import EURO_CENTS_PER_100_POINTS, WholeNumberField
from pojo.forms import Present


class EuroRateForm(FlaskForm):
    """What 100 points are worth, for the liability in euros."""

    euro_cents_per_100_points = WholeNumberField(
        _l("Euro cents per 100 points"), EURO_CENTS_PER_100_POINTS, validators=[Present()]
    )
