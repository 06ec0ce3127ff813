"""The insights' blueprint (`/insights`): the dashboard, the thresholds and payroll pages add routes to it.

Its own module, so no page module imports another.
"""

from flask import Blueprint

bp = Blueprint("insights", __name__, url_prefix="/insights")
