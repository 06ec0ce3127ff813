"""Counting the SQL statements a request or a call runs: pins a page's queries to a constant."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from pojo.extensions import db


@contextmanager
def counting_statements(app) -> Iterator[list[str]]:
    """Collect every statement run inside the block into the list it yields."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", listener)


def statements_for(app, client, path: str) -> int:
    """How many statements GET `path` runs (it must answer 200)."""
    with counting_statements(app) as seen:
        response = client.get(path)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return len(seen)
