"""How market figures are shown: change arrows, sparklines, the board's rows.

The board page and its JSON refresh both use `board_entry` (what every
viewer sees) and `action` (the viewer's button), so a row looks the same
whether the server drew it or board.js updated it.
"""

from flask import url_for
from flask_babel import format_percent, to_user_timezone
from flask_babel import gettext as _

from pojo.formatting import format_points
from pojo.market.forms import CATEGORY_LABELS

SPARK_WIDTH, SPARK_HEIGHT = 100, 28

_CHANGE_LABELS = {
    ("up", "24h"): lambda pct: _("Up %(pct)s in 24 hours", pct=pct),
    ("down", "24h"): lambda pct: _("Down %(pct)s in 24 hours", pct=pct),
    ("flat", "24h"): lambda pct: _("Unchanged in 24 hours"),
    ("up", "7d"): lambda pct: _("Up %(pct)s in 7 days", pct=pct),
    ("down", "7d"): lambda pct: _("Down %(pct)s in 7 days", pct=pct),
    ("flat", "7d"): lambda pct: _("Unchanged in 7 days"),
}
_ARROWS = {"up": "▲", "down": "▼", "flat": ""}


def change(pct: float | None, period: str) -> dict:
    """A price change as shown: direction, visible text (▲ 4.2 %) and a sentence for screen readers."""
    if pct is None:
        return {"pct": None, "direction": "none", "text": "–", "label": _("No history yet")}
    direction = "up" if pct > 0 else "down" if pct < 0 else "flat"
    shown = format_percent(abs(pct) / 100, format="#,##0.0%")
    text = f"{_ARROWS[direction]} {shown}".strip()
    return {
        "pct": pct,
        "direction": direction,
        "text": text,
        "label": _CHANGE_LABELS[direction, period](shown),
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


def action(price: int, stock_left: int | None, balance: int) -> dict:
    """What the board's button offers: redeem at the price, sold out, or how many points are missing."""
    if stock_left == 0:
        return {"state": "sold_out", "text": _("Sold out")}
    if balance < price:
        return {
            "state": "short",
            "text": _("%(points)s more points needed", points=format_points(price - balance)),
        }
    return {"state": "redeem", "text": _("Redeem · %(price)s points", price=format_points(price))}


def board_entry(row, language: str) -> dict:
    """One board row as plain data, the same for every viewer (no button: see `action`)."""
    reward = row.reward
    return {
        "id": reward.id,
        "name": reward.name(language),
        "category": reward.category,
        "category_text": str(CATEGORY_LABELS.get(reward.category, reward.category)),
        "url": url_for("market.reward", reward_id=reward.id),
        "image_url": url_for("market.reward_image", reward_id=reward.id)
        if reward.image_type
        else None,
        "price": row.price,
        "price_text": format_points(row.price),
        "change_24h": change(row.change_24h_pct, "24h"),
        "change_7d": change(row.change_7d_pct, "7d"),
        "stock_left": row.stock_left,
        "stock_text": stock_text(row.stock_left),
        "sparkline": list(row.sparkline),
        "sparkline_points": sparkline_points(list(row.sparkline)),
        "trend": trend(list(row.sparkline)),
    }


def daily_closes(history: list[tuple], days: int = 30) -> list[dict]:
    """The last price of each local day, newest first: the chart's text alternative."""
    closes: dict = {}
    for at, price in sorted(history, key=lambda tick: tick[0]):
        closes[to_user_timezone(at).date()] = price
    return [{"day": day, "price": closes[day]} for day in sorted(closes, reverse=True)[:days]]


def demand_days(by_day: list[tuple]) -> list[dict]:
    """Redemptions per local day, oldest first, as the chart and its table read them."""
    return [{"day": day, "count": count} for day, count in by_day]
