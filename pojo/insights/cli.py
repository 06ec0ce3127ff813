"""`flask --app pojo payroll export --from YYYY-MM --to YYYY-MM FILE`: the payroll CSV."""

import click
from flask.cli import AppGroup

from pojo.errors import InvalidInput
from pojo.extensions import db

payroll_cli = AppGroup("payroll", help="Payroll: the export of fulfilled redemptions.")


@payroll_cli.command("export")
@click.option("--from", "start", required=True, help="The first month, YYYY-MM.")
@click.option("--to", "end", required=True, help="The last month, YYYY-MM.")
@click.option(
    "--language",
    type=click.Choice(["fi", "en"]),
    default="fi",
    show_default=True,
    help='Words and separators: fi writes ";" and 12,50; en writes "," and 12.50.',
)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def export(start: str, end: str, language: str, file: str) -> None:
    """Write the fulfilled redemptions of the months to FILE ("-": standard output)."""
    from pojo.database import utcnow
    from pojo.insights.payroll import month_range, payroll
    from pojo.insights.payroll_csv import write_csv
    from pojo.rows import local_date

    try:
        months = month_range(start, end, local_date(utcnow()))
    except InvalidInput as error:
        raise click.BadParameter(error.message, param_hint=f"--{error.details['field']}") from None
    report = payroll(None, months, language)
    db.session.rollback()  # read only
    text = write_csv(report, language)
    if file == "-":
        click.echo(text, nl=False)
    else:
        with open(file, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    click.echo(f"{report.lines} lines in {len(report.blocks)} employer blocks.", err=True)
