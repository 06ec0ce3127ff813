"""`flask outcomes import FILE.csv`."""

import click
from flask.cli import AppGroup

from pojo.errors import DomainError
from pojo.outcomes import imports
from pojo.outcomes.policy import APPLY_OUTCOMES
from pojo.outcomes.recording import apply_plan
from pojo.people.service import get_employee
from pojo.policy import can
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
@click.option(
    "--as",
    "as_username",
    metavar="USERNAME",
    help="Record the import in the name of this HR or admin account; its own rows are rejected.",
)
def import_outcomes(file, skip_invalid, dry_run, as_username):
    """Import outcomes from FILE.csv and award the points their rules earn.

    Columns: external_id, employee, kind, score, occurred_at (ISO 8601; a
    time without a UTC offset is in POJO_TIMEZONE). Idempotent: an
    external_id already recorded is skipped, so importing a file twice
    awards nothing the second time.

    Rows are rejected with a reason: invalid, unknown_employee,
    inactive_employee, self_award (a row naming the --as account),
    too_old (older than POJO_OUTCOME_MAX_AGE_DAYS) or in_future. Without
    --as the import is recorded by nobody (the operator). Supervisors import
    through the web page, where HR approves their files.

    When any row is rejected, nothing is applied and the rejected rows are listed, unless
    --skip-invalid is given. A file that is not a usable CSV (wrong columns,
    not UTF-8) is refused as a whole. Exit status 1 when nothing was applied
    because of an error.
    """
    data = file.read(imports.csvfile.MAX_BYTES + 1)
    with cli_unit_of_work():
        actor = None
        if as_username:
            try:
                actor = get_employee(as_username)
            except DomainError as error:
                raise click.ClickException(error.message) from None
            if not can(actor, APPLY_OUTCOMES) or not actor.active:
                raise click.ClickException(
                    "--as names an active HR or admin account; supervisors import "
                    "through the web page, where HR approves their files."
                )
        text = imports.decode(data)
        preview = imports.preview_text(actor, text)
        plan = preview.plan
        click.echo(
            f"{preview.rows} rows: {len(plan.new)} new outcomes "
            f"({len(plan.new) - plan.unmatched} matching a rule, {plan.unmatched} matching none), "
            f"{plan.duplicates} already recorded, {len(preview.rejected)} rejected."
        )
        for line, reason, message in preview.rejected[:SHOWN_REJECTED]:
            click.echo(f"  line {line}: {reason}: {message}")
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
        recorded = apply_plan(actor, plan, "csv")
    click.echo(
        f"Imported {recorded.accepted} outcomes; awarded {recorded.points_awarded} points "
        f"to {len({username for _p, username, _c, _pts in recorded.awards})} employees; "
        f"{recorded.duplicates} already recorded; {len(preview.rejected)} rejected rows left out."
    )
