"""`trustnet places load`: the gazetteer's towns into the graph, once however often it runs."""

from __future__ import annotations

from place_factories import french_towns

from graph import places

COUNT_PLACES = "MATCH (p:Place) RETURN count(p) AS places"


def test_places_load_loads_every_town_once(cli, engine):
    first = cli("places", "load")
    second = cli("places", "load")

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    towns = len(list(places.gazetteer()))
    assert f"{towns} places loaded." in second.stdout
    assert engine.read(COUNT_PLACES)[0]["places"] == towns
    lyon = french_towns()["Lyon"]["id"]
    assert [p.name for p in places.find_places(engine, "Villeurbanne")[0]] == ["Villeurbanne"]
    near = engine.read(
        "MATCH (lyon:Place {id: $id}) MATCH (p:Place) "
        "WHERE distance(p.location, lyon.location) <= 5000 RETURN p.name AS name",
        {"id": lyon})
    assert {"Lyon", "Villeurbanne"} <= {row["name"] for row in near}
