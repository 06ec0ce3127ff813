"""The market's blueprint: `views` (everyone's pages) and `admin_views` (HR's) both add routes to it.

Its own module, so neither page module imports the other.
"""

from flask import Blueprint

from pojo.market.forms import CATEGORY_LABELS, PERIOD_LABELS, TAX_LABELS

bp = Blueprint("market", __name__)


@bp.app_context_processor
def _market_labels():
    return {
        "category_labels": CATEGORY_LABELS,
        "period_labels": PERIOD_LABELS,
        "tax_labels": TAX_LABELS,
    }
