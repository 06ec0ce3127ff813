"""`flask mail send`, `flask mail status`, `flask mail requeue ID` and `flask mail test ADDRESS`."""

import click
from flask.cli import AppGroup

from pojo.mail import outbox
from pojo.mail.models import STATUSES
from pojo.mail.sender import send_due, send_test
from pojo.unit_of_work import unit_of_work

mail_cli = AppGroup("mail", help="E-mail notices: the outbox and its sending.")


@mail_cli.command("send")
def send():
    """Send the e-mails that are due now (the `send_mail` job does so every minute)."""
    click.echo(send_due())


@mail_cli.command("status")
def status():
    """Count the outbox's e-mails by status and list the failed and uncertain ones."""
    if not outbox.enabled():
        click.echo("E-mail is off: no MAIL_SERVER set.")
    found = outbox.counts()
    click.echo(", ".join(f"{status}: {found.get(status, 0)}" for status in STATUSES))
    for mail in outbox.troubled():
        click.echo(
            f"{mail.id}\t{mail.status}\t{mail.created_at:%Y-%m-%d %H:%M} UTC\t{mail.recipient}"
            f"\t{mail.kind}\t{mail.last_error or ''}"
        )


@mail_cli.command("requeue")
@click.argument("mail_id", type=click.IntRange(1, 2**31 - 1))
def requeue(mail_id):
    """Send a failed or uncertain e-mail again (check the mail server's log first: it may
    have gone out)."""
    with unit_of_work():
        mail = outbox.requeue(mail_id)
    if mail is None:
        raise click.ClickException(f"no failed or uncertain e-mail {mail_id}")
    click.echo(f"e-mail {mail_id} to {mail.recipient} queued again")


@mail_cli.command("test")
@click.argument("address")
def test(address):
    """Send one e-mail to ADDRESS now, past the outbox, to check the SMTP settings."""
    if not outbox.enabled():
        raise click.ClickException("E-mail is off: no MAIL_SERVER set.")
    try:
        send_test(address)
    except Exception as error:  # noqa: BLE001 - whatever failed is the answer to the check
        raise click.ClickException(f"not sent: {type(error).__name__}: {error}") from None
    click.echo(f"sent to {address}")
