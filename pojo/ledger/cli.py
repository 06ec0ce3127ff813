"""`flask ledger verify`."""

import sys

import click
from flask.cli import AppGroup

from pojo.ledger.verify import count_entries, run_checks

ledger_cli = AppGroup("ledger", help="Inspect the points ledger.")


@ledger_cli.command("verify")
def verify():
    """Check every ledger invariant over the whole database; exit 1 on any violation."""
    results = run_checks()
    click.echo(f"Checked {count_entries()} ledger entries.")
    failed = 0
    for result in results:
        if result.violations:
            failed += 1
            click.echo(
                f"FAIL  {result.name}: {len(result.violations)}+ violations, e.g. {result.violations[:5]}"
            )
        else:
            click.echo(f"ok    {result.name}")
    if failed:
        click.echo(f"{failed} of {len(results)} invariants violated.")
        sys.exit(1)
    click.echo(f"All {len(results)} invariants hold.")
