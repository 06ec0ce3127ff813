"""The board drawn: its HTML cached per language with holes (slots) for each viewer's parts.

`pojo.market.board` keeps one `DrawnBoard` per language for the current
market version. Drawing (templates, translations, number formats) happens
once; a request only fills the slots: balance, goal strip and highlight,
Redeem buttons, the forms' CSRF token and request id. Rows are the board's
`BoardRow`s; this module reads nothing from the database.

The filters "getting cheaper" (a fall over 7 days) and "within my reach"
(redeemable with the viewer's balance) pick from the cached rows on each
request; a page's body is drawn once per what it shows around the rows
(category, filters, page number and count), never per viewer.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from pojo.formatting import format_points
from pojo.market import display
from pojo.market.feed import FeedItem
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
        # A shift swap is redeemed on its page, where one chooses the shift.
        "kind": reward.kind,
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


def _feed_entry(item: FeedItem, language: str) -> dict:
    """One redemption of the feed as plain data, no name of who redeemed (board.js reads it too)."""
    return {
        "id": item.redemption_id,
        "name": item.name(language),
        "url": url_for("market.reward", reward_id=item.reward_id),
        "move": display.move(item.move_pct),
        "at": item.at.isoformat(),
        "time_text": display.moment_text(item.at),
    }


STATES = ("redeem", "short", "sold_out")


@dataclass(frozen=True)
class CachedRow:
    """One drawn row in one language, with its per-viewer parts still open."""

    id: int
    category: str
    price: int
    stock_left: int | None
    falling: bool  # cheaper than 7 days ago
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
        falling=row.change_7d_pct is not None and row.change_7d_pct < 0,
        entry=entry,
        html=html,
        texts=fixed,
    )


class Filters(NamedTuple):
    """Which rows a board page lists: a category (None: all), falling ones, ones within reach."""

    category: str | None = None
    falling: bool = False
    reach: bool = False

    def keep(self, row: "CachedRow") -> bool:
        """Whether the row passes the filters that are the same for every viewer."""
        return self.category in (None, row.category) and (row.falling or not self.falling)

    def args(self, page: int = 1) -> dict:
        """The query string that shows these filters (and page): what the links and board.js ask."""
        return {
            "category": self.category,
            "falling": 1 if self.falling else None,
            "reach": 1 if self.reach else None,
            "page": page if page > 1 else None,
        }


@dataclass(frozen=True)
class BodyFacts:
    """What the page around the rows shows: the same for every viewer of these filters and page."""

    categories: list[str]
    category: str | None
    page: Pagination  # of CachedRow
    filters: Filters = Filters()
    feed: Markup = Markup("")
    category_labels = CATEGORY_LABELS

    def link(self, **changes) -> str:
        """The board with some filters changed (category, falling, reach), from its first page."""
        return url_for("market.board", **self.filters._replace(**changes).args())

    def page_url(self, number: int) -> str:
        return url_for("market.board", **self.filters.args(number))

    def source(self) -> str:
        """Where board.js reads this page's figures."""
        return url_for("market.board_data", **self.filters.args(self.page.page))


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
    # The latest redemptions: as board.js reads them, and drawn.
    feed: list[dict]
    feed_html: Markup
    # Every row's id, for board.js to tell a withdrawn reward from one a filter hides.
    on_market: list[int] = field(default_factory=list)
    # Keyed by the filters but the viewer's reach: a handful of lists.
    listed: dict[Filters, list[CachedRow]] = field(default_factory=dict)
    # Keyed by (filters, page number): a handful, as numbers past the end are the last page.
    pages: dict[tuple[Filters, int], Pagination] = field(default_factory=dict)
    # Keyed by (filters, page number, rows listed): "within my reach" lists as many rows
    # as the balance affords, so at most one body per row count, never one per viewer.
    bodies: dict[tuple[Filters, int, int], Slotted] = field(default_factory=dict)
    goal_strips: dict[int, Slotted] = field(default_factory=dict)

    def page(self, filters: Filters, number: int, balance: int = 0) -> Pagination:
        """A page of the rows the filters pick (`balance` for "within my reach").

        Out of range, the nearest page. Within reach is the viewer's: filtered
        from the cached list on each request, paged then (both cheap).
        """
        shared = filters._replace(reach=False)
        rows = self.listed.get(shared)
        if rows is None:
            rows = self.listed[shared] = [row for row in self.rows if shared.keep(row)]
        if filters.reach:
            rows = [row for row in rows if row.state(balance) == "redeem"]
            return paginate_list(rows, number, PAGE_SIZE)
        number = min(max(number, 1), max(1, -(-len(rows) // PAGE_SIZE)))
        key = (shared, number)
        if key not in self.pages:
            self.pages[key] = paginate_list(rows, number, PAGE_SIZE)
        return self.pages[key]

    def body(self, filters: Filters, page: Pagination) -> Slotted:
        """The whole page around the rows, drawn the first time it is asked for."""
        key = (filters, page.page, page.total)
        if key not in self.bodies:
            facts = BodyFacts(self.categories, filters.category, page, filters, self.feed_html)
            self.bodies[key] = _draw_body(facts)
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

    def page_html(self, filters: Filters, page: Pagination, balance: int, goal, language):
        """The board page's whole body for one viewer."""
        goal_id = goal.reward.id if goal else None
        return Markup(
            self.body(filters, page).fill(
                {
                    "balance": escape(self.points(balance)),
                    "goal": self.goal_html(goal, language),
                    "rows": self.rows_html(page.items, balance, goal_id),
                }
            )
        )


def draw(rows: list, categories: list[str], language: str, feed: list[FeedItem]) -> DrawnBoard:
    """Draw the board in `language`, the current request's (its locale translates the texts)."""
    buttons = display.button_texts()
    entries = [_feed_entry(item, language) for item in feed]
    return DrawnBoard(
        rows=[_draw_row(row, language, buttons) for row in rows],
        categories=categories,
        buttons=buttons,
        points=display.points_formatter(),
        goal_tag=str(_macros().goal_tag()),
        goal_texts={"to_go": _("%(points)s points to go"), "reached": _("Within reach now")},
        feed=entries,
        feed_html=_macros().board_feed(entries),
        on_market=[row.reward.id for row in rows],
    )
