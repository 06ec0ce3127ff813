"""The board: every active reward with its figures, built once per market version and language.

Everything on the board that is the same for every viewer (names, prices,
changes, sparklines, stock, and around them the page's header, filters and
pager) is read, drawn and kept in each process, per version and language.
`GET /api/v1/rewards` lists the same rows. The version is read from the
database on every request, one small query over the reward rows, so a
redemption made through any gunicorn worker shows on every worker's next
request. That query also reads the viewer's balance and goal, so a cached
board costs one statement in all. A board is built again when either of
these changes:

- the count, largest id and sum of revisions of the rewards; every change
  to a reward or to one of its redemptions raises its revision in the same
  transaction (`Reward.revision`);
- the first moment a price on it falls with time alone, computed from the
  price engine when the board is built (`pojo.market.pricing.next_fall`),
  so a cached board never shows a price above the one charged; and at
  least every minute, as the 7-day changes and sparklines drift with time.

The viewer's own parts (balance, goal strip and highlight, the Redeem
buttons, the forms' CSRF token and request id) fill slots in the cached
HTML on each request (`pojo.market.board_html` draws and fills); the texts
they need are translated once per language. So does the filter "within my
reach": it picks from the cached rows by the viewer's balance.

The feed of the latest redemptions (`pojo.market.feed`) is kept with the
rows, read in one query when a built board is first drawn: only a
redemption (or its cancellation) changes it, and that changes the version.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from markupsafe import Markup
from sqlalchemy import bindparam, func, select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.ledger.models import Balance
from pojo.market import goals
from pojo.market.board_html import PAGE_SIZE, DrawnBoard, Filters, draw
from pojo.market.demand import WEEK_DAYS, change_over, daily_prices, next_fall
from pojo.market.feed import FeedItem, latest_redemptions
from pojo.market.models import CATEGORIES, Reward, SavingsGoal
from pojo.people.models import Employee

__all__ = ["PAGE_SIZE", "board_page", "board_refresh", "board_rows", "listing"]

SPARKLINE_DAYS = WEEK_DAYS
# The 7-day changes and sparklines may be this old; the prices themselves never are.
FIGURES_TTL = timedelta(minutes=1)

# -- the rows: read from the database ----------------------------------------


@dataclass(frozen=True)
class RewardFacts:
    """What the board and the API list show of a reward, kept after the request's session is gone."""

    id: int
    name_en: str
    name_fi: str
    category: str
    kind: str
    image_type: str | None
    created_at: datetime
    base_price: int
    floor_price: int
    ceiling_price: int
    stock: int | None

    name = Reward.name  # the same choice of language as the model's

    @classmethod
    def of(cls, reward: Reward) -> "RewardFacts":
        return cls(**{name: getattr(reward, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class BoardRow:
    reward: RewardFacts
    price: int
    change_24h_pct: float | None
    change_7d_pct: float | None
    stock_left: int | None
    # Daily prices over the last 7 days, oldest first, ending with the price now.
    sparkline: list[int]


def _active_rewards() -> list[Reward]:
    query = select(Reward).where(Reward.active.is_(True)).order_by(Reward.category, Reward.name_en)
    return list(db.session.scalars(query))


def board_rows(at: datetime | None = None, rewards: list[Reward] | None = None) -> list[BoardRow]:
    """Every active reward with its price, changes, sparkline and stock (three queries)."""
    at = at or utcnow()
    rewards = _active_rewards() if rewards is None else rewards
    prices = daily_prices(rewards, at)
    return [
        BoardRow(
            reward=RewardFacts.of(reward),
            price=prices[reward.id][0],
            change_24h_pct=change_over(prices[reward.id], 1, reward.created_at, at),
            change_7d_pct=change_over(prices[reward.id], SPARKLINE_DAYS, reward.created_at, at),
            stock_left=reward.stock,
            sparkline=list(reversed(prices[reward.id])),
        )
        for reward in rewards
    ]


def next_change(rewards: list[Reward], at: datetime) -> datetime:
    """When the board is next built again with time alone, without any redemption.

    At the first moment a price shown falls (prices only rise with a
    redemption, which raises the version), and at least every
    `FIGURES_TTL`: the 7-day changes and sparklines drift with time too.
    """
    falls = next_fall(rewards, at)
    limit = at + FIGURES_TTL
    return limit if falls is None else min(falls, limit)


# -- the cache ----------------------------------------------------------------


@dataclass
class SharedBoard:
    """The board as every viewer sees it, for one market version."""

    version: tuple[int, int, int]
    valid_until: datetime | None
    rows: list[BoardRow]
    categories: list[str]
    _drawn: dict[str, DrawnBoard] = field(default_factory=dict)
    _listings: dict[tuple, list[dict]] = field(default_factory=dict)
    _feed: list[FeedItem] | None = None

    def fresh(self, version: tuple[int, int, int], now: datetime) -> bool:
        return version == self.version and (self.valid_until is None or now < self.valid_until)

    def feed(self) -> list[FeedItem]:
        """The latest redemptions, read the first time the board is drawn (the API needs none)."""
        if self._feed is None:
            self._feed = latest_redemptions()
        return self._feed

    def drawn(self, language: str) -> DrawnBoard:
        """The board drawn in `language` (the current request's), drawing it the first time."""
        if language not in self._drawn:
            self._drawn[language] = draw(self.rows, self.categories, language, self.feed())
        return self._drawn[language]

    def listing(self, language: str, shape: Callable[[BoardRow, str], dict]) -> list[dict]:
        """Every row as `shape` makes it in `language`, shaped once (the API's list)."""
        key = (language, shape)
        if key not in self._listings:
            self._listings[key] = [shape(row, language) for row in self.rows]
        return self._listings[key]


_VERSION = (
    func.count(Reward.id),
    func.coalesce(func.max(Reward.id), 0),
    func.coalesce(func.sum(Reward.revision), 0),
)
_VIEWER = bindparam("employee_id")
# Built once: SQLAlchemy then reuses its compiled form without re-deriving a cache key.
_VERSION_QUERY = select(*_VERSION)
_VIEWER_QUERY = select(
    *_VERSION,
    select(Balance.points).where(Balance.employee_id == _VIEWER).scalar_subquery(),
    select(SavingsGoal.reward_id).where(SavingsGoal.employee_id == _VIEWER).scalar_subquery(),
)


def _build(version: tuple[int, int, int], at: datetime) -> SharedBoard:
    rewards = _active_rewards()
    rows = board_rows(at=at, rewards=rewards)
    present = {row.reward.category for row in rows}
    return SharedBoard(
        version=version,
        valid_until=next_change(rewards, at),
        rows=rows,
        categories=[category for category in CATEGORIES if category in present],
    )


def _current(version: tuple[int, int, int]) -> SharedBoard:
    store = current_app.extensions.setdefault("pojo.market.board", {})
    now = utcnow()
    board = store.get("board")
    if board is None or not board.fresh(version, now):
        board = store["board"] = _build(version, now)
    return board


def listing(language: str, shape: Callable[[BoardRow, str], dict]) -> list[dict]:
    """The current board's rows as `shape` makes them: one statement when cached (the API)."""
    version = tuple(int(value) for value in db.session.execute(_VERSION_QUERY).one())
    return list(_current(version).listing(language, shape))


# -- one viewer's board ------------------------------------------------------


@dataclass(frozen=True)
class ViewerBoard:
    board: SharedBoard
    drawn: DrawnBoard
    balance: int
    goal: goals.GoalStatus | None


def board_for(employee: Employee, language: str) -> ViewerBoard:
    """The shared board with this viewer's balance and goal, read in one query with the version."""
    found = db.session.execute(_VIEWER_QUERY, {"employee_id": employee.id}).one()
    version = tuple(int(value) for value in found[:3])
    balance, goal_reward_id = found[3] or 0, found[4]
    board = _current(version)
    goal = _goal(board, employee, balance, goal_reward_id)
    return ViewerBoard(board, board.drawn(language), balance, goal)


def _goal(board, employee, balance, goal_reward_id) -> goals.GoalStatus | None:
    """The goal strip's figures; from the cached row when the goal is on the board."""
    if goal_reward_id is None:
        return None
    row = next((row for row in board.rows if row.reward.id == goal_reward_id), None)
    if row is None:  # withdrawn since it was pinned: the goal service knows its price
        return goals.goal_status(employee)
    return goals.goal_progress(row.reward, row.price, balance)


def _filters(category: str | None, falling: bool, reach: bool) -> Filters:
    """The filters asked for: an unknown category is all of them."""
    return Filters(category if category in CATEGORIES else None, bool(falling), bool(reach))


def board_page(
    employee: Employee,
    language: str,
    category: str | None,
    number: int,
    *,
    falling: bool = False,
    reach: bool = False,
) -> Markup:
    """The board page's body for this viewer: a category (None or unknown: all) and page of it.

    `falling` lists only rewards cheaper than 7 days ago, `reach` only those
    the viewer can redeem now.
    """
    viewer = board_for(employee, language)
    filters = _filters(category, falling, reach)
    page = viewer.drawn.page(filters, number, viewer.balance)
    return viewer.drawn.page_html(filters, page, viewer.balance, viewer.goal, language)


def board_refresh(
    employee: Employee,
    language: str,
    category: str | None,
    number: int,
    *,
    falling: bool = False,
    reach: bool = False,
) -> dict:
    """The figures of one board page for board.js's refresh: the balance, each row, the feed."""
    viewer = board_for(employee, language)
    drawn = viewer.drawn
    page = drawn.page(_filters(category, falling, reach), number, viewer.balance)
    return {
        "balance": viewer.balance,
        "balance_text": drawn.points(viewer.balance),
        "rewards": [
            {**row.entry, "action": drawn.action(row, viewer.balance)} for row in page.items
        ],
        "on_market": drawn.on_market,
        "feed": drawn.feed,
    }
