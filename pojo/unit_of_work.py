"""The commit point for work outside a request: CLI commands and scheduled jobs."""

from collections.abc import Iterator
from contextlib import contextmanager

import click

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
