"""Towns of the real gazetteer (graph.places.gazetteer, read once per session), loaded a few
at a time: a test loads the towns it names, not the 15,000 of the country."""

from __future__ import annotations

from functools import cache

from graph import places
from graph.engine import GraphEngine


@cache
def french_towns() -> dict[str, dict]:
    """The gazetteer's rows by town name, the most populous of namesakes."""
    towns: dict[str, dict] = {}
    for row in places.gazetteer():
        if row["name"] not in towns or row["population"] > towns[row["name"]]["population"]:
            towns[row["name"]] = row
    return towns


def load_towns(engine: GraphEngine, *names: str) -> dict[str, str]:
    """Load the named towns through the real verb; their place ids by name."""
    rows = [french_towns()[name] for name in names]
    places.load_places(engine, rows)
    return {row["name"]: row["id"] for row in rows}
