"""Commands about the community itself: create a founder, import an existing community."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app, render_template
from flask.cli import with_appcontext
from flask_babel import gettext as _

from graph import importer, members
from graph.errors import DomainError
from trustnet.command_group import fail, main, with_base_url
from trustnet.i18n import mail_language, member_locale
from trustnet.links import absolute_url, password_link
from trustnet.mail import send_mail
from trustnet.progress import progress
from trustnet.services import graph_engine, plus_apart, services


@main.group()
def founder() -> None:
    """Founders: the root members of the trust graph."""


@founder.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The founder's name, as members will see it.")
@click.option("--admin/--no-admin", default=True, show_default=True,
              help="Give the founder the admin role.")
@with_appcontext
def founder_create(email: str, name: str, admin: bool) -> None:
    """Create a founder (an admin unless --no-admin) and print a one-time link to set their
    password."""
    try:
        member = members.create_founder(graph_engine(), email, name, plus_apart=plus_apart(),
                                        admin=admin)
    except ValueError as error:
        fail(f"{email}: {error}")
    except DomainError as error:
        fail(str(error))
    with with_base_url():
        link = password_link(member, claim=True)
    click.echo(f"Founder {member.name} <{member.email}> created.")
    if member.admin:
        click.echo(f"They are an admin: the admin pages are at "
                   f"{absolute_url('admin.dashboard')}")
    click.echo(f"Set-password link (works once, {current_app.config['TRUSTNET_CLAIM_DAYS']} "
               f"days): {link}")


@main.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--send-claim-mails", is_flag=True,
              help="Then mail each member of the file who has no password yet a link to "
                   "claim their account.")
@click.option("--mails-per-second", type=click.FloatRange(min=0.1), default=5.0,
              show_default=True, help="How fast the claim mails go (an SMTP server's limit).")
@with_appcontext
def import_command(path: Path, send_claim_mails: bool, mails_per_second: float) -> None:
    """Import members and sponsorships from a JSON Lines file (validated first)."""
    with path.open(encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    # The embedded engine's log is folded into a snapshot before and after the import, so
    # that no restart, even after a crash, replays the import statement by statement
    # without the schema's indexes (see graph.embedded).
    embedded = services().connection.embedded
    with progress("Importing members") as report_batch:  # a step per batch written
        try:
            if embedded is not None:
                embedded.fold_log()
            report = importer.import_community(graph_engine(), lines, progress=report_batch,
                                                plus_apart=plus_apart())
            if embedded is not None:
                embedded.fold_log()
        except importer.ImportFileError as error:
            errors = error.errors
        else:
            errors = []
    if errors:
        for line, message in errors:
            click.echo(f"{path}:{line}: {message}", err=True)
        fail(f"{len(errors)} error(s) in {path}; nothing was imported")
    click.echo(f"{report.members_in_file} members in file, {report.members_created} new; "
               f"{report.sponsorships_in_file} sponsorships. Members claim their account "
               f"with 'Forgot your password?' on the sign-in page.")
    if send_claim_mails:
        sent = _send_claim_mails(members.unclaimed_members(graph_engine(), report.email_keys),
                                 mails_per_second)
        click.echo(f"{sent} claim mail(s) sent.")


def _send_claim_mails(unclaimed: list[members.Member], per_second: float) -> int:
    """Mail each member a single-use link (TRUSTNET_CLAIM_DAYS) to set their password, in
    their language, at most `per_second` mails a second, with a progress bar; returns how
    many were sent. Running it again mails those who still have not claimed their account."""
    with with_base_url(), progress("Sending claim mails") as report:
        for done, member in enumerate(unclaimed, start=1):
            with mail_language(member_locale(member.locale)):
                subject = _("Your TrustNet account is waiting for you")
                body = render_template("mail/claim.txt", member=member,
                                       link=password_link(member, claim=True),
                                       days=current_app.config["TRUSTNET_CLAIM_DAYS"])
            send_mail(member.email, subject, body)
            report(done, len(unclaimed))
            if done < len(unclaimed):
                time.sleep(1 / per_second)
    return len(unclaimed)
