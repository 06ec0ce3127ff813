"""`flask shifts import FILE.csv`."""

import click
from flask.cli import AppGroup

from pojo.errors import DomainError
from pojo.shifts import imports
from pojo.unit_of_work import cli_unit_of_work

shifts_cli = AppGroup("shifts", help="The shift roster.")

SHOWN_REJECTED = 20


@shifts_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Print what would happen; change nothing.")
def import_shifts(file, dry_run):
    """Import shifts from FILE.csv (columns employee, starts_at, ends_at, label).

    Times are ISO 8601 with a UTC offset. A shift is known by its employee and
    start, so importing the same file twice changes nothing. When any row is
    rejected (with its line) nothing is imported; exit status 1.
    """
    data = file.read(imports.MAX_BYTES + 1)
    with cli_unit_of_work():
        try:
            result = imports.preview(None, data) if dry_run else imports.apply(None, data)
        except DomainError as error:
            try:
                result = imports.preview(None, data)
            except DomainError:
                raise click.ClickException(error.message) from None
            for rejection in result.rejected[:SHOWN_REJECTED]:
                click.echo(f"line {rejection.position}: {rejection.reason}: {rejection.message}")
            raise click.ClickException(error.message) from None
    click.echo(
        f"{len(result.new)} new, {len(result.changed)} changed, {result.unchanged} unchanged"
        + (" (dry run: nothing changed)" if dry_run else "")
    )
