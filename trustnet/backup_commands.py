"""`trustnet backup FILE` and `trustnet restore FILE`: a consistent copy of the embedded
engine's graphs, taken while the app serves, and put back into an empty data folder.

Neo4j and FalkorDB servers named by a URL are backed up with their own tools: these
commands say so rather than copy something that is not theirs to copy."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from graph.connect import NEO4J_SCHEMES
from graph.embedded import restore_backup
from trustnet import configured_app
from trustnet.command_group import fail, main
from trustnet.progress import steps
from trustnet.services import services

NEO4J_BACKUP = ("the graph is on Neo4j, which backs itself up: 'neo4j-admin database dump' "
                "(Community: with the database stopped) or Aura's snapshots, and "
                "'neo4j-admin database load' to restore")


def _not_embedded(url: str, command: str) -> str:
    """Why `command` does not apply to the engine at url, and what to use instead."""
    if urlsplit(url).scheme in NEO4J_SCHEMES:
        return NEO4J_BACKUP
    return (f"'trustnet {command}' works on the embedded engine; the FalkorDB server at {url} "
            f"is backed up on its host (BGSAVE, then copy its dump.rdb)")


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the graph to PATH while the app goes on serving."""
    embedded = services().connection.embedded
    if embedded is None:
        fail(_not_embedded(current_app.config["TRUSTNET_GRAPH_URL"], "backup"))
    with steps() as report:
        try:
            size = embedded.backup(path, report)
        except RuntimeError as error:
            fail(str(error))
        except OSError as error:
            fail(f"{path}: {error.strerror or error}")
    click.echo(f"Backup written to {path} ({size} bytes).")


@main.command("restore", with_appcontext=False)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Put the backup PATH into the empty data folder (TRUSTNET_DATA_DIR); the app must be
    stopped. It does not start the engine, which would make the folder not empty."""
    config = configured_app().config
    if config["TRUSTNET_GRAPH_URL"]:
        fail(_not_embedded(config["TRUSTNET_GRAPH_URL"], "restore"))
    data_dir = Path(config["TRUSTNET_DATA_DIR"])
    with steps() as report:
        try:
            graphs = restore_backup(data_dir, path, report)
        except (ValueError, RuntimeError) as error:
            fail(str(error))
        except OSError as error:
            fail(f"{path}: {error.strerror or error}")
    click.echo(f"Restored {path} into {data_dir}: graphs {', '.join(graphs) or '(none)'}.")
