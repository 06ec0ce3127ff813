"""The board drawn: its HTML cached per language with holes (slots) for each viewer's parts.

`pojo.market.board` keeps one `DrawnBoard` per language for the current
market version. Drawing (templates, translations, number formats) happens
once; a request only fills the slots: balance, goal strip and highlight,
Redeem buttons, the forms' CSRF token and request id. Rows are the board's
`BoardRow`s; this module reads nothing from the database.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from pojo.formatting import format_points
from pojo.market import display
from pojo.market.forms import CATEGORY_LABELS
from pojo.pagination import Pagination, paginate_list

TEMPLATE = "market/_board.html"
# Rows per board page: a phone scrolls a couple of screens, not two hundred tickers.
PAGE_SIZE = 24
_SLOT = "\x00"


def _slot(name: str) -> Markup:
    return Markup(f"{_SLOT}{name}{_SLOT}")


@dataclass(frozen=True)
class Slotted:
    """Cached HTML with named holes: even parts are HTML, odd parts slot names."""

    parts: tuple[str, ...]

    @classmethod
    def of(cls, html: str) -> "Slotted":
        return cls(tuple(html.split(_SLOT)))

    def fill(self, values: dict[str, str]) -> str:
        parts = list(self.parts)
        for index in range(1, len(parts), 2):
            parts[index] = values[parts[index]]
        return "".join(parts)


def _macros():
    return current_app.jinja_env.get_template(TEMPLATE).module


def _entry(row, language: str) -> dict:
    """One board row as plain data, the same for every viewer (board.js reads it too)."""
    reward = row.reward
    image_url = url_for("market.reward_image", reward_id=reward.id) if reward.image_type else None
    return {
        "id": reward.id,
        "name": reward.name(language),
        "category": reward.category,
        "category_text": str(CATEGORY_LABELS.get(reward.category, reward.category)),
        "url": url_for("market.reward", reward_id=reward.id),
        "image_url": image_url,
        "price": row.price,
        "price_text": format_points(row.price),
        "change_24h": display.change(row.change_24h_pct, "24h"),
        "change_7d": display.change(row.change_7d_pct, "7d"),
        "stock_left": row.stock_left,
        "stock_text": display.stock_text(row.stock_left),
        "sparkline": list(row.sparkline),
        "sparkline_points": display.sparkline_points(list(row.sparkline)),
        "trend": display.trend(list(row.sparkline)),
    }


STATES = ("redeem", "short", "sold_out")


@dataclass(frozen=True)
class CachedRow:
    """One drawn row in one language, with its per-viewer parts still open."""

    id: int
    category: str
    price: int
    stock_left: int | None
    entry: dict
    # The whole row per state of its Redeem button, its form's token and request id open;
    # "short" leaves the button's text open too (it depends on the balance).
    html: dict[str, Slotted]
    # The button's text when it does not depend on the viewer: "redeem" and "sold_out".
    texts: dict[str, str]

    def state(self, balance: int) -> str:
        """The button's state for a viewer with this balance (as `display.action` decides it)."""
        if self.stock_left == 0:
            return "sold_out"
        return "short" if balance < self.price else "redeem"


def _draw_row(row, language: str, texts: dict[str, str]) -> CachedRow:
    macros = _macros()
    entry = _entry(row, language)
    fixed = {
        state: display.action(row.price, stock, row.price, texts)["text"]
        for state, stock in (("redeem", row.stock_left), ("sold_out", 0))
    }
    html = {}
    for state in STATES:
        action = {"state": state, "text": fixed.get(state, _slot("text"))}
        form = macros.board_form(entry, action, _slot)
        html[state] = Slotted.of(str(macros.board_row(entry, _slot, form)))
    return CachedRow(
        id=row.reward.id,
        category=row.reward.category,
        price=row.price,
        stock_left=row.stock_left,
        entry=entry,
        html=html,
        texts=fixed,
    )


@dataclass(frozen=True)
class BodyFacts:
    """What the page around the rows shows: the same for every viewer of this category and page."""

    categories: list[str]
    category: str | None
    page: Pagination  # of CachedRow
    category_labels = CATEGORY_LABELS

    def page_url(self, number: int) -> str:
        return url_for("market.board", category=self.category, page=number if number > 1 else None)


def _draw_body(facts: BodyFacts) -> Slotted:
    return Slotted.of(str(_macros().board_body(facts, _slot)))


@dataclass
class DrawnBoard:
    """The board drawn in one language: its rows, and each page's body as it is first asked for."""

    rows: list[CachedRow]
    categories: list[str]
    # Translated once, numbers filled in per viewer.
    buttons: dict[str, str]
    points: Callable[[int], str]
    goal_tag: str
    goal_texts: dict[str, str]
    by_category: dict[str | None, list[CachedRow]] = field(default_factory=dict)
    # Keyed by (category, page number): a handful, as numbers past the end are the last page.
    pages: dict[tuple[str | None, int], Pagination] = field(default_factory=dict)
    bodies: dict[tuple[str | None, int], Slotted] = field(default_factory=dict)
    goal_strips: dict[int, Slotted] = field(default_factory=dict)

    def page(self, category: str | None, number: int) -> Pagination:
        """A page of the rows of a category (None: all); out of range, the nearest page."""
        rows = self.by_category.get(category)
        if rows is None:
            rows = [row for row in self.rows if category in (None, row.category)]
            self.by_category[category] = rows
        number = min(max(number, 1), max(1, -(-len(rows) // PAGE_SIZE)))
        key = (category, number)
        if key not in self.pages:
            self.pages[key] = paginate_list(rows, number, PAGE_SIZE)
        return self.pages[key]

    def body(self, category: str | None, page: Pagination) -> Slotted:
        """The whole page around the rows, drawn the first time it is asked for."""
        key = (category, page.page)
        if key not in self.bodies:
            self.bodies[key] = _draw_body(BodyFacts(self.categories, category, page))
        return self.bodies[key]

    def _goal_strip(self, reward_id: int, name: str) -> Slotted:
        if reward_id not in self.goal_strips:
            html = _macros().goal_strip(reward_id, name, _slot)
            self.goal_strips[reward_id] = Slotted.of(str(html))
        return self.goal_strips[reward_id]

    # -- one viewer's parts, filled in on every request --

    def action(self, row: CachedRow, balance: int) -> dict:
        """The row's button for a viewer with this balance, as board.js shows it."""
        state = row.state(balance)
        if state == "short":
            return display.action(row.price, row.stock_left, balance, self.buttons, self.points)
        return {"state": state, "text": row.texts[state]}

    def rows_html(self, rows: list[CachedRow], balance: int, goal_id: int | None) -> str:
        """The rows for one viewer: cached HTML with their goal and buttons filled in."""
        # One random part per page and the reward id: every form on the page has its own id.
        page_id = uuid.uuid4().hex
        values = {"csrf": generate_csrf(), "text": ""}
        drawn = []
        for row in rows:
            state = row.state(balance)
            if state == "short":
                values["text"] = escape(self.action(row, balance)["text"])
            is_goal = row.id == goal_id
            values["goal_class"] = "is-goal" if is_goal else ""
            values["goal_tag"] = self.goal_tag if is_goal else ""
            values["request_id"] = f"{page_id}-{row.id}"
            drawn.append(row.html[state].fill(values))
        return "\n  ".join(drawn)

    def goal_html(self, goal, language: str) -> str:
        """The strip above the board for a GoalStatus (empty without a goal)."""
        if goal is None:
            return ""
        if goal.points_needed > 0:
            text = self.goal_texts["to_go"] % {"points": self.points(goal.points_needed)}
        else:
            text = self.goal_texts["reached"]
        strip = self._goal_strip(goal.reward.id, goal.reward.name(language))
        return strip.fill({"progress": str(goal.progress_pct), "text": escape(text)})

    def page_html(self, category: str | None, page: Pagination, balance: int, goal, language):
        """The board page's whole body for one viewer."""
        goal_id = goal.reward.id if goal else None
        return Markup(
            self.body(category, page).fill(
                {
                    "balance": escape(self.points(balance)),
                    "goal": self.goal_html(goal, language),
                    "rows": self.rows_html(page.items, balance, goal_id),
                }
            )
        )


def draw(rows: list, categories: list[str], language: str) -> DrawnBoard:
    """Draw the board in `language`, the current request's (its locale translates the texts)."""
    buttons = display.button_texts()
    return DrawnBoard(
        rows=[_draw_row(row, language, buttons) for row in rows],
        categories=categories,
        buttons=buttons,
        points=display.points_formatter(),
        goal_tag=str(_macros().goal_tag()),
        goal_texts={"to_go": _("%(points)s points to go"), "reached": _("Within reach now")},
    )
