"""The commit point for work outside a request: CLI commands and scheduled jobs."""

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import delete, select, tuple_

from pojo.bounds import PRUNE_BATCH_ROWS
from pojo.errors import DomainError
from pojo.extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did, or roll all of it back on any error."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


@contextmanager
def cli_unit_of_work() -> Iterator[None]:
    """A unit of work whose domain errors become a clean CLI error (exit 1)."""
    try:
        with unit_of_work():
            yield
    except DomainError as error:
        raise click.ClickException(error.message) from None


def delete_in_batches(model, *conditions, batch: int = PRUNE_BATCH_ROWS) -> int:
    """Delete `model`'s rows matching `conditions`, at most `batch` a transaction; how many.

    Each batch is a unit of work of its own, committed before the next, so a large
    backlog never holds its locks (SQLite's one write lock, PostgreSQL's row locks)
    for longer than one batch takes: other requests write in between.
    """
    key = list(model.__table__.primary_key.columns)
    chosen = select(*key).where(*conditions).limit(batch)
    target = key[0].in_(chosen) if len(key) == 1 else tuple_(*key).in_(chosen)
    total = 0
    while True:
        with unit_of_work():
            deleted = db.session.execute(
                delete(model).where(target).execution_options(synchronize_session=False)
            ).rowcount
        total += deleted
        if deleted < batch:
            return total
