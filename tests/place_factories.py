"""Towns of the real gazetteer (graph.places.gazetteer, read once per session), loaded a few
at a time: a test loads the towns it names, not the 15,000 of the country."""

from __future__ import annotations

from functools import cache

from graph import offers, places
from graph.engine import GraphEngine
from graph.members import Member


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


def plan_feeds(engine: GraphEngine, member: Member) -> None:
    """Read the feed with and without a distance, outside the pages' time limit: Neo4j plans
    its statement once per kind of parameters, which takes seconds on a loaded machine, and
    a page's first request would otherwise spend them within its limit."""
    offers.feed(engine, member.id, 3)
    offers.feed(engine, member.id, 3, within_km=10)
