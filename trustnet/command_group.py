"""The `trustnet` command group and what its commands share: the Flask CLI of the app (run,
shell, routes), which each command module extends. Errors a user can fix exit with code 2
and one line on stderr."""

from __future__ import annotations

import signal
import sys
from typing import NoReturn

import click
from flask import current_app
from flask.cli import FlaskGroup, NoAppException

from graph.engine import EngineUnavailable


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


def with_base_url():
    """A request context on TRUSTNET_BASE_URL, so url_for can build absolute links."""
    return current_app.test_request_context(base_url=current_app.config["TRUSTNET_BASE_URL"])
