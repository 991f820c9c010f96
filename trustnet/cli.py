"""The `trustnet` command: the Flask CLI of the app (run, shell, routes) plus operators'
commands. Errors a user can fix exit with code 2 and one line on stderr."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import FlaskGroup, NoAppException, with_appcontext

from graph import importer, members
from graph.engine import EngineUnavailable
from graph.errors import DomainError
from trustnet.links import password_link
from trustnet.progress import progress
from trustnet.services import graph, plus_apart, services


def _app():
    """Build the app; an engine that cannot be reached is a message, not a traceback."""
    from trustnet import create_app

    try:
        return create_app()
    except EngineUnavailable as error:
        raise NoAppException(str(error)) from error


@click.group(cls=FlaskGroup, create_app=_app, add_version_option=False)
def main() -> None:
    """TrustNet: an invitation-only trust network."""
    # Stop on SIGTERM as on Ctrl-C, so exit handlers run and the embedded engine is
    # released (and shut down cleanly when this was its last user).
    signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit with code 2."""
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(2)


def _with_base_url():
    """A request context on TRUSTNET_BASE_URL, so url_for can build absolute links."""
    return current_app.test_request_context(base_url=current_app.config["TRUSTNET_BASE_URL"])


@main.group()
def founder() -> None:
    """Founders: the root members of the trust graph."""


@founder.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The founder's name, as members will see it.")
@with_appcontext
def founder_create(email: str, name: str) -> None:
    """Create a founder and print a one-time link to set their password."""
    try:
        member = members.create_founder(graph(), email, name, plus_apart=plus_apart())
    except ValueError as error:
        fail(f"{email}: {error}")
    except DomainError as error:
        fail(str(error))
    with _with_base_url():
        link = password_link(member, claim=True)
    click.echo(f"Founder {member.name} <{member.email}> created.")
    click.echo(f"Set-password link (works once, {current_app.config['TRUSTNET_CLAIM_DAYS']} "
               f"days): {link}")


@main.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(path: Path) -> None:
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
            report = importer.import_community(graph(), lines, progress=report_batch,
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


# The trust commands (path, circle) and the backup commands (backup, restore) live in their
# own modules; importing them registers them.
from trustnet import backup_commands, trust_commands  # noqa: E402, F401

# So do the moderation commands (ban, unban, admin grant|revoke).
from trustnet.admin import commands  # noqa: E402, F401
