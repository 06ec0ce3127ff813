"""`flask backup FILE` and `flask restore FILE [--yes]`: SQLite only; PostgreSQL has scripts."""

import sys
import time
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from pojo.backups.sqlite import NotAPojoDatabase, copy, describe
from pojo.backups.sqlite import restore as restore_file
from pojo.extensions import db

SCRIPT_OF = {"backup": "scripts/backup-postgres.sh", "restore": "scripts/restore-postgres.sh"}


def _live_sqlite_path(command: str) -> Path:
    """The app's SQLite file; a clear refusal (exit 1) on any other database."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            f"The database is {url.get_backend_name()}, not SQLite: `flask {command}` copies "
            f"SQLite files only. Use {SCRIPT_OF[command]} (pg_dump/pg_restore); "
            "see docs/backups.md."
        )
    if not url.database or url.database == ":memory:":
        raise click.ClickException("The database is in memory: there is no file to copy.")
    return Path(url.database)


class _Progress:
    """The backup's progress on stderr: a bar on a terminal, else a line at most every second."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        self.shown = 0
        self.last = 0.0

    def __enter__(self):
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self.stream.isatty():
            now = time.monotonic()
            if now - self.last >= 1.0 or done == total:
                self.last = now
                percent = 100 * done // max(total, 1)
                click.echo(f"  Copying: {percent}% ({done:,} / {total:,} pages)", file=self.stream)
            return
        if self.bar is None or done < self.shown:  # a restart begins the bar again
            self.__exit__()
            self.bar = click.progressbar(length=max(total, 1), label="  Copying", file=self.stream)
            self.bar.__enter__()
            self.shown = 0
        self.bar.update(done - self.shown)
        self.shown = done

    def __exit__(self, *_exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _revisions() -> ScriptDirectory:
    return ScriptDirectory(current_app.extensions["migrate"].directory)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path):
    """Copy the SQLite database to FILE, consistently, while the app keeps running."""
    live = _live_sqlite_path("backup")
    if file.exists():
        raise click.ClickException(f"{file} exists already: give the backup a new name.")
    if not file.parent.is_dir():
        raise click.ClickException(f"There is no directory {file.parent}.")
    with _Progress() as progress:
        copy(live, file, progress=progress)
    held = describe(file)
    click.echo(
        f"Backed up {live} to {file}: {held.employees} employees, "
        f"{held.entries} ledger entries, schema revision {held.revision}."
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@click.pass_context
@with_appcontext
def restore(context: click.Context, file: Path, yes: bool):
    """Replace the SQLite database with the backup FILE, then verify the ledger."""
    from pojo.ledger.cli import verify

    live = _live_sqlite_path("restore")
    try:
        held = describe(file)
    except NotAPojoDatabase as error:
        raise click.ClickException(f"Not restored: {error}.") from None
    scripts = _revisions()
    if held.revision not in {script.revision for script in scripts.walk_revisions()}:
        raise click.ClickException(
            f"Not restored: {file} is at schema revision {held.revision}, which this "
            "version of Pojo does not know (a backup from a newer Pojo?)."
        )
    click.echo(
        f"{file}: {held.employees} employees, {held.entries} ledger entries, "
        f"schema revision {held.revision}."
    )
    if not yes:
        click.confirm(
            f"Replace everything in {live} with this backup? What was written since is lost",
            abort=True,
        )
    # No pooled connection may keep a transaction open on the old pages.
    db.session.remove()
    db.engine.dispose()
    restore_file(file, live)
    click.echo(f"Restored {file} into {live}. Restart the app so no cache outlives the old data.")
    if held.revision not in scripts.get_heads():
        click.echo(
            f"The backup's schema ({held.revision}) is older than this code's: run "
            "`flask --app pojo db upgrade`, then `flask --app pojo ledger verify`."
        )
        return
    context.invoke(verify)
