"""`flask outcomes import FILE.csv`."""

import click
from flask.cli import AppGroup

from pojo.outcomes import imports
from pojo.outcomes.service import apply_plan
from pojo.unit_of_work import cli_unit_of_work

outcomes_cli = AppGroup("outcomes", help="Service outcomes that earn points.")

SHOWN_REJECTED = 20


@outcomes_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Apply the valid rows even when some rows are rejected (they are listed and left out).",
)
@click.option("--dry-run", is_flag=True, help="Print what would happen; change nothing.")
def import_outcomes(file, skip_invalid, dry_run):
    """Import outcomes from FILE.csv and award the points their rules earn.

    Columns: external_id, employee, kind, score, occurred_at (ISO 8601; a
    time without a UTC offset is in POJO_TIMEZONE). Idempotent: an
    external_id already recorded is skipped, so importing a file twice
    awards nothing the second time.

    When any row is rejected (unknown or inactive employee, bad date or
    score...), nothing is applied and the rejected rows are listed, unless
    --skip-invalid is given. A file that is not a usable CSV (wrong columns,
    not UTF-8) is refused as a whole. Exit status 1 when nothing was applied
    because of an error.
    """
    data = file.read(imports.csvfile.MAX_BYTES + 1)
    with cli_unit_of_work():
        text = imports.decode(data)
        preview = imports.preview_text(None, text)
        plan = preview.plan
        click.echo(
            f"{preview.rows} rows: {len(plan.new)} new outcomes "
            f"({len(plan.new) - plan.unmatched} matching a rule, {plan.unmatched} matching none), "
            f"{plan.duplicates} already recorded, {len(preview.rejected)} rejected."
        )
        for line, reason in preview.rejected[:SHOWN_REJECTED]:
            click.echo(f"  line {line}: {reason}")
        if len(preview.rejected) > SHOWN_REJECTED:
            click.echo(f"  … and {len(preview.rejected) - SHOWN_REJECTED} more rejected rows.")
        if dry_run:
            click.echo(f"Dry run: would award {plan.points_awarded} points. Nothing changed.")
            return
        if preview.rejected and not skip_invalid:
            raise click.ClickException(
                "Nothing imported: fix the rejected rows, or run again with --skip-invalid "
                "to apply only the valid rows."
            )
        recorded = apply_plan(None, plan, "csv")
    click.echo(
        f"Imported {recorded.accepted} outcomes; awarded {recorded.points_awarded} points "
        f"to {len({username for _p, username, _c, _pts in recorded.awards})} employees; "
        f"{recorded.duplicates} already recorded; {len(preview.rejected)} rejected rows left out."
    )
