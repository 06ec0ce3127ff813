"""How market figures are shown: change arrows, sparklines, stock, the Redeem button's text.

The board (`pojo.market.board`, drawn once and refreshed by board.js) and
the reward page both use these, so a figure reads the same everywhere.
"""

from collections.abc import Callable
from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import format_percent, get_locale, to_user_timezone
from flask_babel import gettext as _

from pojo.formatting import format_points

SPARK_WIDTH, SPARK_HEIGHT = 100, 28
# The most points the reward page's price chart embeds, whatever the history's volume.
CHART_POINTS = 240

# Said as a buyer hears it: a rise is dearer (bad news), a fall cheaper (good news).
_CHANGE_LABELS = {
    ("up", "24h"): lambda pct: _("Dearer by %(pct)s in 24 hours", pct=pct),
    ("down", "24h"): lambda pct: _("Cheaper by %(pct)s in 24 hours", pct=pct),
    ("flat", "24h"): lambda pct: _("Unchanged in 24 hours"),
    ("up", "7d"): lambda pct: _("Dearer by %(pct)s in 7 days", pct=pct),
    ("down", "7d"): lambda pct: _("Cheaper by %(pct)s in 7 days", pct=pct),
    ("flat", "7d"): lambda pct: _("Unchanged in 7 days"),
}
_MOVE_LABELS = {
    "up": lambda pct: _("the price rose by %(pct)s", pct=pct),
    "down": lambda pct: _("the price fell by %(pct)s", pct=pct),
    "flat": lambda pct: _("the price did not change"),
}
_ARROWS = {"up": "▲", "down": "▼", "flat": ""}


def _direction(pct: float) -> str:
    return "up" if pct > 0 else "down" if pct < 0 else "flat"


def _shown(pct: float) -> str:
    """The size of a change as the board writes it: one decimal, the locale's percent sign."""
    return format_percent(abs(pct) / 100, format="#,##0.0%")


def change(pct: float | None, period: str) -> dict:
    """A price change as shown: direction, visible text (▲ 4.2 %) and a sentence for screen readers.

    The direction is the price's ("up" is dearer); the stylesheet colours a
    rise as the bad news it is to a buyer. A reward too young for the
    period has no change: "New" for the 7 days, a dash for the 24 hours.
    """
    if pct is None:
        if period == "7d":
            return {
                "pct": None,
                "direction": "new",
                "text": _("New"),
                "label": _("New on the market: no 7-day change yet"),
            }
        return {"pct": None, "direction": "none", "text": "–", "label": _("No history yet")}
    direction = _direction(pct)
    shown = _shown(pct)
    return {
        "pct": pct,
        "direction": direction,
        "text": f"{_ARROWS[direction]} {shown}".strip(),
        "label": _CHANGE_LABELS[direction, period](shown),
    }


def move(pct: float | None) -> dict:
    """How one redemption moved the price (the board's feed): as `change`, None when unknown."""
    if pct is None:
        return {"pct": None, "direction": "none", "text": "", "label": ""}
    direction = _direction(pct)
    shown = _shown(pct)
    text = f"{_ARROWS[direction] or '±'} {shown}"
    return {
        "pct": pct,
        "direction": direction,
        "text": text,
        "label": _MOVE_LABELS[direction](shown),
    }


def sparkline_points(prices: list[int]) -> str:
    """SVG polyline points for a small price line; flat when prices do not move."""
    if not prices:
        return ""
    if len(prices) == 1:
        prices = prices * 2
    low, high = min(prices), max(prices)
    span = (high - low) or 1
    step = SPARK_WIDTH / (len(prices) - 1)
    pad = 2
    usable = SPARK_HEIGHT - 2 * pad
    points = []
    for index, price in enumerate(prices):
        y = SPARK_HEIGHT / 2 if high == low else pad + usable * (high - price) / span
        points.append(f"{index * step:.1f},{y:.1f}")
    return " ".join(points)


def trend(prices: list[int]) -> str:
    """Whether a sparkline ends above or below where it starts (its colour)."""
    if len(prices) < 2 or prices[-1] == prices[0]:
        return "flat"
    return "up" if prices[-1] > prices[0] else "down"


def stock_text(stock_left: int | None) -> str:
    if stock_left is None:
        return _("Unlimited")
    if stock_left == 0:
        return _("Sold out")
    return _("%(count)s left", count=format_points(stock_left))


def button_texts() -> dict[str, str]:
    """The Redeem button's texts in the current language, `%(points)s` and `%(price)s` still open.

    Translated once; the board keeps them per language and fills in only the numbers.
    """
    return {
        "sold_out": _("Sold out"),
        "short": _("%(points)s more points needed"),
        "redeem": _("Redeem · %(price)s points"),
    }


def action(
    price: int,
    stock_left: int | None,
    balance: int,
    texts: dict[str, str] | None = None,
    points: Callable[[int], str] = format_points,
) -> dict:
    """What the board's button offers: redeem at the price, sold out, or how many points are missing.

    `texts` (from `button_texts`) and `points` (from `points_formatter`) save
    translating and looking up the locale again for every row.
    """
    texts = texts or button_texts()
    if stock_left == 0:
        return {"state": "sold_out", "text": texts["sold_out"]}
    if balance < price:
        return {"state": "short", "text": texts["short"] % {"points": points(price - balance)}}
    return {"state": "redeem", "text": texts["redeem"] % {"price": points(price)}}


def points_formatter() -> Callable[[int], str]:
    """`format_points` for the current language, without Babel's per-call locale lookup.

    Both languages group whole numbers by thousands, so the separator is all
    that differs; a locale that groups otherwise keeps `format_points`.
    """
    sample = format_points(1234567)
    group = sample[1:2]
    if sample != f"1{group}234{group}567":
        return format_points

    def points(value: int) -> str:
        return f"{value:,}".replace(",", group) if value >= 0 else format_points(value)

    return points


def price_series(history: list[tuple[datetime, int]], limit: int = CHART_POINTS) -> list[list[int]]:
    """The price chart's points, oldest first, as [milliseconds since the epoch, price].

    The history comes thinned already (`pojo.market.demand.price_history`); this
    cap makes sure the page can never grow with the volume. Past `limit` points
    the span is cut into equal stretches of time and each keeps its lowest and its
    highest point, so a peak stays on the chart; the first and the last point stay.
    A jump is two points at one moment (the price before, then after): kept in order.
    """
    points = sorted(history, key=lambda point: point[0])  # stable: a jump's two stay in order
    if len(points) > limit:
        points = _lows_and_highs(points, max(1, (limit - 2) // 2))
    return [[round(at.timestamp() * 1000), price] for at, price in points]


def _lows_and_highs(points: list[tuple[datetime, int]], stretches: int) -> list:
    start, span = points[0][0], (points[-1][0] - points[0][0]).total_seconds() or 1.0
    stretch_of: dict[int, list[int]] = {}
    for position in range(1, len(points) - 1):
        elapsed = (points[position][0] - start).total_seconds()
        stretch = min(int(elapsed / span * stretches), stretches - 1)
        stretch_of.setdefault(stretch, []).append(position)
    kept = {0, len(points) - 1}
    for positions in stretch_of.values():
        kept.add(min(positions, key=lambda position: points[position][1]))
        kept.add(max(positions, key=lambda position: points[position][1]))
    return [points[position] for position in sorted(kept)]


def price_range(history: list[tuple[datetime, int]]) -> dict | None:
    """The lowest and the highest price of the whole history, for the chart's text alternative."""
    prices = [price for _at, price in history]
    return {"low": min(prices), "high": max(prices)} if prices else None


def moment_text(at: datetime) -> str:
    """A recent moment, short, in the site's zone: "Mar 12 14:05", "12.3. 14.05"."""
    local, locale = to_user_timezone(at), get_locale()
    return f"{format_skeleton('MMMd', local, locale=locale)} {format_skeleton('Hm', local, locale=locale)}"


def daily_closes(closes: list[tuple]) -> list[dict]:
    """The price at the end of each local day, newest first: the chart's text alternative."""
    return [{"day": day, "price": price} for day, price in closes]


def demand_days(by_day: list[tuple]) -> list[dict]:
    """Redemptions per local day, oldest first, as the chart and its table read them."""
    return [{"day": day, "count": count} for day, count in by_day]
