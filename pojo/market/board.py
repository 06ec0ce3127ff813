"""The board's shared part, built once per market version and kept in each process.

Everything on the board that is the same for every viewer (names, prices,
changes, sparklines, stock) is computed and drawn once per version and
language. The version is read from the database on every request, one
small query over the reward rows, so a redemption made through any gunicorn
worker shows on every worker's next request. That query also reads the
viewer's balance and goal, so a cached board costs one query in all.
A board is drawn again when either of these changes:

- the count, largest id and sum of revisions of the rewards; every change
  to a reward or to one of its redemptions raises its revision in the same
  transaction (`Reward.revision`);
- the moment a redemption next enters or leaves one of the 30-day windows
  behind the board's figures (the price now and on each of the last 7
  days), found when the board is built: prices also fall with time alone,
  and exactly then, so a cached board is never stale by a TTL.

The viewer's own parts (the goal highlight, the Redeem button, the form's
CSRF token and request id) fill slots in the cached HTML on each request.
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from flask import current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import bindparam, case, func, select

from pojo.database import utcnow
from pojo.extensions import db
from pojo.ledger.models import Balance
from pojo.market import display, service
from pojo.market.models import CATEGORIES, Redemption, Reward, SavingsGoal
from pojo.market.pricing import WINDOW
from pojo.people.models import Employee

ROW_TEMPLATE = "market/_board_row.html"
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


@dataclass(frozen=True)
class _RewardFacts:
    """What the board shows of a reward, kept after the request's session is gone."""

    id: int
    name_en: str
    name_fi: str
    category: str
    image_type: str | None
    created_at: datetime

    name = Reward.name  # the same choice of language as the model's


@dataclass(frozen=True)
class CachedRow:
    """One drawn row in one language, with its per-viewer buttons still open."""

    id: int
    category: str
    price: int
    stock_left: int | None
    entry: dict
    html: Slotted
    # The Redeem form per button state; "short" leaves its text open (it depends on the balance).
    forms: dict[str, Slotted]
    texts: dict[str, str]


@dataclass
class SharedBoard:
    """The board as every viewer sees it, for one market version."""

    version: tuple[int, int, int]
    valid_until: datetime | None
    rows: list[service.BoardRow]
    categories: list[str]
    _drawn: dict[str, list[CachedRow]] = field(default_factory=dict)

    def fresh(self, version: tuple[int, int, int], now: datetime) -> bool:
        return version == self.version and (self.valid_until is None or now < self.valid_until)

    def drawn(self, language: str) -> list[CachedRow]:
        """The rows drawn in `language` (the current request's), drawing them the first time."""
        if language not in self._drawn:
            self._drawn[language] = [_draw(row, language) for row in self.rows]
        return self._drawn[language]


_VERSION = (
    func.count(Reward.id),
    func.coalesce(func.max(Reward.id), 0),
    func.coalesce(func.sum(Reward.revision), 0),
)
_VIEWER = bindparam("employee_id")
# Built once: SQLAlchemy then reuses its compiled form without re-deriving a cache key.
_VIEWER_QUERY = select(
    *_VERSION,
    select(Balance.points).where(Balance.employee_id == _VIEWER).scalar_subquery(),
    select(SavingsGoal.reward_id).where(SavingsGoal.employee_id == _VIEWER).scalar_subquery(),
)


def next_change(rows: list[service.BoardRow], at: datetime) -> datetime | None:
    """The first moment after `at` at which a board figure changes with time alone.

    A figure for the moment `at - k days` counts redemptions in its window
    (m - 30 days, m]; redemption c enters it at c + k days and leaves it at
    c + 30 days + k days. A reward's 24 h and 7 d changes appear 1 and 7
    days after it was created.
    """
    created = Redemption.created_at
    backs = [timedelta(days=k) for k in range(service.SPARKLINE_DAYS + 1)]
    columns = []
    for back in backs:
        columns.append(func.min(case((created > at - WINDOW - back, created))))
        columns.append(func.min(case((created > at - back, created))))
    # By reward as well, so the (reward_id, created_at) index bounds the read to the window.
    found = db.session.execute(
        select(*columns).where(
            Redemption.reward_id.in_([row.reward.id for row in rows]),
            created > at - WINDOW - backs[-1],
        )
    ).one()
    moments = []
    for index, back in enumerate(backs):
        leaves, enters = found[2 * index], found[2 * index + 1]
        if leaves is not None:
            moments.append(leaves + WINDOW + back)
        if enters is not None:
            moments.append(enters + back)
    for row in rows:
        for days in (1, service.SPARKLINE_DAYS):
            moments.append(row.reward.created_at + timedelta(days=days))
    return min((moment for moment in moments if moment > at), default=None)


def _facts(row: service.BoardRow) -> service.BoardRow:
    reward = row.reward
    facts = _RewardFacts(
        reward.id,
        reward.name_en,
        reward.name_fi,
        reward.category,
        reward.image_type,
        reward.created_at,
    )
    return replace(row, reward=facts)


def _build(version: tuple[int, int, int], at: datetime) -> SharedBoard:
    rows = [_facts(row) for row in service.board(at=at)]
    present = {row.reward.category for row in rows}
    return SharedBoard(
        version=version,
        valid_until=next_change(rows, at),
        rows=rows,
        categories=[category for category in CATEGORIES if category in present],
    )


def _draw(row: service.BoardRow, language: str) -> CachedRow:
    macros = current_app.jinja_env.get_template(ROW_TEMPLATE).module
    entry = display.board_entry(row, language)
    texts = {
        "redeem": display.action(row.price, row.stock_left, row.price)["text"],
        "sold_out": display.action(row.price, 0, row.price)["text"],
    }
    forms = {
        state: Slotted.of(
            str(
                macros.board_form(
                    entry, {"state": state, "text": texts.get(state, _slot("text"))}, _slot
                )
            )
        )
        for state in ("redeem", "short", "sold_out")
    }
    return CachedRow(
        id=row.reward.id,
        category=row.reward.category,
        price=row.price,
        stock_left=row.stock_left,
        entry=entry,
        html=Slotted.of(str(macros.board_row(entry, _slot))),
        forms=forms,
        texts=texts,
    )


def _current(store: dict, version: tuple[int, int, int]) -> SharedBoard:
    now = utcnow()
    board = store.get("board")
    if board is None or not board.fresh(version, now):
        board = store["board"] = _build(version, now)
    return board


def _store() -> dict:
    return current_app.extensions.setdefault("pojo.market.board", {})


@dataclass(frozen=True)
class ViewerBoard:
    board: SharedBoard
    balance: int
    goal: service.GoalStatus | None


def board_for(employee: Employee, language: str) -> ViewerBoard:
    """The shared board with this viewer's balance and goal, read in one query with the version."""
    found = db.session.execute(_VIEWER_QUERY, {"employee_id": employee.id}).one()
    version = tuple(int(value) for value in found[:3])
    balance, goal_reward_id = found[3] or 0, found[4]
    board = _current(_store(), version)
    return ViewerBoard(board, balance, _goal(board, language, employee, balance, goal_reward_id))


def _goal(board, language, employee, balance, goal_reward_id) -> service.GoalStatus | None:
    """The goal strip's figures; from the cached row when the goal is on the board."""
    if goal_reward_id is None:
        return None
    row = next((row for row in board.rows if row.reward.id == goal_reward_id), None)
    if row is None:  # withdrawn since it was pinned: the goal service knows its price
        return service.goal_status(employee)
    return service.GoalStatus(
        reward=row.reward,
        price=row.price,
        balance=balance,
        progress_pct=min(100, balance * 100 // row.price),
        points_needed=max(row.price - balance, 0),
        eta=None,  # not shown on the board
    )


@dataclass(frozen=True)
class BoardPage:
    rows: list[CachedRow]
    number: int
    pages: int
    first: int
    last: int
    total: int


def page_of(rows: list[CachedRow], requested: int) -> BoardPage:
    """One page of the board's rows; a page number out of range shows the nearest page."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    number = min(max(requested, 1), pages)
    start = (number - 1) * PAGE_SIZE
    shown = rows[start : start + PAGE_SIZE]
    return BoardPage(shown, number, pages, start + 1, start + len(shown), len(rows))


def viewer_action(row: CachedRow, balance: int) -> dict:
    """The row's button for a viewer with this balance (as `display.action` decides it)."""
    if row.stock_left == 0:
        return {"state": "sold_out", "text": row.texts["sold_out"]}
    if balance < row.price:
        return display.action(row.price, row.stock_left, balance)
    return {"state": "redeem", "text": row.texts["redeem"]}


def rows_html(rows: list[CachedRow], balance: int, goal_reward_id: int | None) -> Markup:
    """The board's rows for one viewer: cached HTML with their goal and buttons filled in."""
    csrf = generate_csrf()
    # One random part per page and the reward id: every form on the page has its own id.
    page_id = uuid.uuid4().hex
    goal_tag = str(current_app.jinja_env.get_template(ROW_TEMPLATE).module.goal_tag())
    drawn = []
    for row in rows:
        act = viewer_action(row, balance)
        form = row.forms[act["state"]].fill(
            {"csrf": csrf, "request_id": f"{page_id}-{row.id}", "text": escape(act["text"])}
        )
        is_goal = row.id == goal_reward_id
        drawn.append(
            row.html.fill(
                {
                    "goal_class": "is-goal" if is_goal else "",
                    "goal_tag": goal_tag if is_goal else "",
                    "action": form,
                }
            )
        )
    return Markup("\n  ".join(drawn))
