"""Numbers as people read them in their language ("1 250" in Finnish, "1,250" in English)."""

from flask_babel import format_decimal


def format_points(points: int | None) -> str:
    """Whole points with the locale's grouping; a dash for none."""
    if points is None:
        return "–"
    return format_decimal(points, format="#,##0")
