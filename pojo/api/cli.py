"""`flask token create|list|revoke`."""

import click
from flask.cli import AppGroup

from pojo.api import tokens
from pojo.people.service import get_employee
from pojo.unit_of_work import cli_unit_of_work

token_cli = AppGroup("token", help="Manage API bearer tokens.")


@token_cli.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for, e.g. 'ticketing system'.")
def create(username, name):
    """Create a token for USERNAME and print it once; only its hash is kept."""
    with cli_unit_of_work():
        token, plain = tokens.create_token(username, name)
        owner = token.employee
    click.echo(plain)
    click.echo(
        f"Token {token.id} ({token.prefix}…) for {owner.username}, role {owner.role}. "
        "Store it now: it cannot be shown again.",
        err=True,
    )


@token_cli.command("list")
@click.argument("username", required=False)
def list_tokens(username):
    """List tokens (of USERNAME, or all): id, prefix, owner, state."""
    with cli_unit_of_work():
        if username:
            found = tokens.tokens_of(get_employee(username))
        else:
            found = tokens.visible_tokens_all()
        for token in found:
            state = "revoked" if token.revoked_at else "live"
            used = token.last_used_at.isoformat() if token.last_used_at else "never used"
            click.echo(
                f"{token.id}\t{token.prefix}…\t{token.employee.username}\t{state}\t{used}\t{token.name}"
            )


@token_cli.command("revoke")
@click.argument("reference", required=False)
@click.option("--user", "username", help="Revoke every live token of this employee instead.")
def revoke(reference, username):
    """Revoke a token by id, shown prefix or the full token (or all of --user USERNAME)."""
    if bool(reference) == bool(username):
        raise click.UsageError("Give a token id, prefix or token, or --user USERNAME.")
    with cli_unit_of_work():
        if username:
            click.echo(f"Revoked {tokens.revoke_all(username)} token(s) of {username}.")
            return
        found = tokens.find_tokens(reference)
        if not found:
            raise click.ClickException(f"No token matches {reference}.")
        if len(found) > 1:
            raise click.ClickException(f"{len(found)} tokens match {reference}; use the id.")
        changed = tokens.revoke(found[0])
        click.echo(f"Token {found[0].id} {'revoked' if changed else 'was already revoked'}.")
