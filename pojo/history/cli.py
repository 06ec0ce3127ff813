"""`flask history import FILE.csv` and `flask user import FILE.csv` (moving in)."""

import sys
import time

import click
from flask.cli import AppGroup, with_appcontext

from pojo.errors import DomainError
from pojo.history import service, users
from pojo.insights.policy import IMPORT_HISTORY
from pojo.people.service import get_employee
from pojo.policy import can
from pojo.unit_of_work import cli_unit_of_work

history_cli = AppGroup(
    "history", help="Bring in points history from a spreadsheet or an older system."
)

SHOWN_REJECTED = 20


def _actor(as_username):
    if not as_username:
        return None
    try:
        actor = get_employee(as_username)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if not can(actor, IMPORT_HISTORY) or not actor.active:
        raise click.ClickException("--as names an active HR or admin account.")
    return actor


def _show_rejected(rejected) -> None:
    for line, reason, message in rejected[:SHOWN_REJECTED]:
        click.echo(f"  line {line}: {reason}: {message}")
    if len(rejected) > SHOWN_REJECTED:
        click.echo(f"  … and {len(rejected) - SHOWN_REJECTED} more rejected rows.")


STAGES = {
    "write": "Writing ledger entries",
    "redemptions": "Recording redemptions",
    "demand": "Updating the market's demand",
}


class _Progress:
    """Progress on stderr: a bar a stage on a terminal, else a line at most every second."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        self.stage = None
        self.shown = 0
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = STAGES.get(stage, stage)
        if not self.stream.isatty():
            now = time.monotonic()
            if stage != self.stage or now - self.last >= 1.0 or done == total:
                self.stage, self.last = stage, now
                click.echo(f"  {label}: {done:,} / {total:,} rows", file=self.stream)
            return
        if stage != self.stage:
            self.close()
            self.stage, self.shown = stage, 0
            self.bar = click.progressbar(
                length=max(total, 1), label=f"  {label}", file=self.stream, show_pos=True
            )
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


AS_HELP = "Import in the name of this HR or admin account; rows about it are rejected."


@history_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Print what would happen; change nothing.")
@click.option("--as", "as_username", metavar="USERNAME", help=AS_HELP)
def import_history(file, dry_run, as_username):
    """Import past awards and redemptions from FILE.csv, whole or not at all.

    Columns: employee, at (ISO 8601, in the past; without an offset in
    POJO_TIMEZONE), kind (award or redemption), points (1–1,000,000),
    reward (a redemption's reward, by its Finnish or English name; an
    unknown name creates an archived reward), note. Rows become backdated
    ledger entries in time order; any malformed row, or one that would make a
    balance negative in time order, is listed with its line number and
    nothing is imported (exit status 1). The same file twice imports nothing
    the second time.
    """
    data = file.read(service.CLI_MAX_BYTES + 1)
    started = time.monotonic()
    with cli_unit_of_work():
        actor = _actor(as_username)
        if dry_run:
            text = service.decode(data, service.CLI_MAX_BYTES)
            preview = service.preview_text(
                actor, text, service.sha256(data), max_rows=service.CLI_MAX_ROWS
            )
        else:
            shown = _Progress()
            try:
                preview, found = service.import_file(
                    actor, data, getattr(file, "name", "history.csv"), progress=shown
                )
            finally:
                shown.close()
        if preview.already is not None:
            click.echo(service.already_message(preview.already))
            return
        plan = preview.plan
        click.echo(
            f"{preview.rows} rows: {plan.awards} awards ({plan.points_awarded} points), "
            f"{plan.redemptions} redemptions ({plan.points_redeemed} points) for "
            f"{plan.employees} employees; {len(plan.new_rewards)} new archived rewards; "
            f"{len(preview.rejected)} rejected."
        )
        _show_rejected(preview.rejected)
        if preview.rejected:
            raise click.ClickException("Nothing imported: fix the rejected rows and run again.")
        if dry_run:
            click.echo("Dry run: nothing changed.")
            return
    click.echo(
        f"Imported {found.rows} rows as import {found.id} (reference history:{found.id}) "
        f"in {time.monotonic() - started:.1f} s."
    )


@click.command("import")
@with_appcontext
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Print what would happen; change nothing.")
@click.option(
    "--as",
    "as_username",
    metavar="USERNAME",
    help="Grant roles as this HR or admin account (its rules apply).",
)
def import_users(file, dry_run, as_username):
    """Create or update employees from FILE.csv, whole or not at all.

    Columns: username, name, email, role, team, employment_type (permanent
    or temp), agency, contract_end (YYYY-MM-DD; both empty for permanent
    staff). An unknown team is created. Passwords are not imported: each new
    account gets a one-time set-password link, printed here, valid for 7
    days. The same file twice changes nothing the second time.
    """
    data = file.read(users.MAX_BYTES + 1)
    with cli_unit_of_work():
        actor = _actor(as_username)
        preview = users.preview_text(actor, service.decode(data, users.MAX_BYTES))
        click.echo(users.summary(preview))
        _show_rejected(preview.rejected)
        if preview.rejected:
            raise click.ClickException("Nothing imported: fix the rejected rows and run again.")
        if dry_run:
            click.echo("Dry run: nothing changed.")
            return
        links = users.apply_preview(actor, preview)
    for username, url in links:
        click.echo(f"  set-password link for {username}: {url}")
    click.echo(f"Applied: {len(preview.new)} created, {len(preview.changed)} updated.")
