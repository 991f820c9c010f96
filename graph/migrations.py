"""Start-up migrations that record in the graph that they ran.

A migration (graph.offers.make_offers_searchable, graph.offers.link_whole_network_offers,
graph.members.rekey_addresses) scans every offer or member for the few left to bring up to
date. Once it has run, its marker says so, and later starts (each gunicorn worker, each CLI
command) skip the scan. What a migration did depends sometimes on the configuration (the
domains apart of rekey_addresses): the marker keeps that `version`, and a start with
another one runs the migration again. Two workers starting at once may both run it: every
migration's writes are guarded (they change only what is still to change) and the marker
is merged on its unique name, so the second run changes nothing and leaves one marker.
"""

from __future__ import annotations

import time

from graph.engine import EngineUnavailable, GraphEngine, Row

BATCH = 5000  # rows per statement of a migration's writes

MIGRATION_VERSION = "MATCH (d:Migration {name: $name}) RETURN d.version AS version"

MARK_MIGRATED = """
MERGE (d:Migration {name: $name})
SET d.version = $version, d.done_at = $now
RETURN d.name AS name
"""


def migrated(engine: GraphEngine, name: str, version: str = "") -> bool:
    """Whether the migration `name` already ran, with this version of its configuration."""
    rows = engine.start_up_read(MIGRATION_VERSION, {"name": name})
    return any(row["version"] == version for row in rows)


def mark_migrated(engine: GraphEngine, name: str, version: str = "") -> None:
    """Record that the migration `name` ran to its end with this version. While writes are
    refused (a disk below its reserve), or when the write does not fit in the pages' time
    limit, the start goes on: the next one scans again."""
    try:
        engine.write(MARK_MIGRATED, {"name": name, "version": version, "now": time.time()})
    except EngineUnavailable:  # DiskFull among them
        pass


def write_in_batches(engine: GraphEngine, statement: str, key: str, rows: list) -> list[Row]:
    """Run a migration's statement with parameter `key` set to BATCH of `rows` at a time, so
    that a large graph is not brought up to date by one huge write; nothing is written when
    there are no rows. Returns the rows each statement returned."""
    return [answer for start in range(0, len(rows), BATCH)
            for answer in engine.write(statement, {key: rows[start:start + BATCH]})]
