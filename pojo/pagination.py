"""One paginator for every list that grows: Flask-SQLAlchemy's, with the page number bounded.

Views read the page with `requested_page()`; services return `paginate(select(...), page)`
(or `paginate_list(rows, page)` for rows already in memory, as the board's cache holds them);
templates draw the links with `macros/pagination.html`.

The API's ledger is paged by key instead (`page_before`): a client passes
`?before=` the last id it saw, so an entry posted meanwhile neither repeats
nor hides a row, and no COUNT runs over a long ledger.
"""

from collections.abc import Sequence
from typing import NamedTuple

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from pojo.extensions import db

PER_PAGE = 25
# Any page number a client sends is bounded here, before it becomes an OFFSET.
MAX_PAGE = 2**31 - 1


def requested_page() -> int:
    """The `page` of the query string: garbage, zero and negatives are page 1."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


def paginate(query: Select, page: int, per_page: int = PER_PAGE) -> Pagination:
    """One page of the rows `query` selects; a page past the end shows the last page."""
    page = min(max(page, 1), MAX_PAGE)

    def fetch(number: int) -> Pagination:
        return db.paginate(
            query, page=number, per_page=per_page, max_per_page=per_page, error_out=False
        )

    found = fetch(page)
    if found.pages and page > found.pages:
        found = fetch(found.pages)
    return found


class ListPagination(Pagination):
    """A page of a list in memory, with the attributes `pager()` reads (items, pages, first...)."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return list(self._query_args["rows"][start : start + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def paginate_list(rows: Sequence, page: int, per_page: int = PER_PAGE) -> Pagination:
    """One page of `rows`; a page past the end shows the last page, as `paginate` does."""
    last = max(1, -(-len(rows) // per_page))
    page = min(max(page, 1), last)
    return ListPagination(
        page=page, per_page=per_page, max_per_page=per_page, error_out=False, rows=rows
    )


class KeyPage(NamedTuple):
    items: list
    next_before: int | None  # the key to pass as ?before= for the next page; None on the last


def page_before(query: Select, key, before: int | None, limit: int) -> KeyPage:
    """The `limit` rows with the largest `key` (a column) below `before`, largest first."""
    if before is not None:
        query = query.where(key < before)
    rows = list(db.session.scalars(query.order_by(key.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return KeyPage(rows, getattr(rows[-1], key.key) if more else None)


def page_url(number: int) -> str:
    """This page's address at page `number`, keeping the other query arguments."""
    # url_for's own options (_external, _anchor...) never come from the query string.
    args = {key: value for key, value in request.args.items() if not key.startswith("_")}
    args["page"] = number if number > 1 else None
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app) -> None:
    app.add_template_global(page_url)
