"""The schema every TrustNet graph needs: indexes and unique constraints, made idempotently.

The app refuses to serve until `bootstrap` returns, that is until every unique constraint
is enforced, so no request can slip a duplicate in while a constraint is still pending.
"""

from __future__ import annotations

import functools
import re

from graph.cypher_catalog import all_statements
from graph.engine import GraphEngine

UNIQUE = [
    ("Member", "id"),
    ("Member", "email_key"),
    ("Invitation", "id"),
    ("Invitation", "token_hash"),
    ("Vouch", "id"),
    ("Offer", "id"),
    ("Conversation", "id"),
    # A message carries the id its verb made: a statement that ran twice (a resent write)
    # fails on it instead of posting the message again.
    ("Message", "id"),
    ("Ban", "id"),
    ("Report", "id"),
    ("Appeal", "id"),
    ("Job", "id"),
    # Two admins publishing the charter at once compute the same next version: one fails.
    ("Charter", "version"),
    ("Place", "id"),
    # Two workers starting at once merge one marker of a migration (graph.migrations).
    ("Migration", "name"),
]

INDEXED = [
    ("Member", "status"),
    ("Invitation", "status"),
    ("Offer", "visibility"),
    ("Offer", "created_at"),
    ("AuditEntry", "action"),
    ("AuditEntry", "target_id"),
    ("Place", "key"),
    ("Notification", "id"),
]


# Searched through the engine's full-text index (graph.offers.search_text).
FULLTEXT = [
    ("Offer", "search_text"),
]


def bootstrap(engine: GraphEngine, timeout_s: float = 30.0) -> None:
    """Create the indexes and unique constraints that are missing, then wait until every
    constraint is enforced.

    The property names that the statements write are made known to the graph before any
    of them runs (FalkorDB mixes up new names that two statements first write at once when
    one of them is undone: see FalkorDBEngine.ensure_property_keys).

    It reads the schema first and writes only what is missing: every start of the app (each
    worker gunicorn starts, each CLI command) runs this, and a start-up that writes would
    fail while writes are refused (a disk below its reserve), taking the site down.
    """
    indexed, unique = engine.schema_present()
    for label, prop in INDEXED:
        if (label, prop) not in indexed:
            engine.ensure_index(label, prop)
    for label, prop in UNIQUE:
        if (label, prop) not in unique:
            engine.ensure_unique(label, prop)
    fulltext = engine.fulltext_present()
    for label, prop in FULLTEXT:
        if (label, prop) not in fulltext:
            engine.ensure_fulltext(label, prop)
    engine.ensure_property_keys(property_keys())  # the graph exists now
    engine.wait_for_constraints(UNIQUE, timeout_s)


# A property of a variable (`m.email`), or a key of a map literal (`{email: $email}`): what a
# statement can write. Names only read, or keys of returned maps, come too; knowing them costs
# nothing.
_PROPERTY = re.compile(r"\b[A-Za-z_]\w*\.([a-z_][a-z0-9_]*)\b|[{,]\s*([a-z_][a-z0-9_]*)\s*:")


@functools.cache
def property_keys() -> frozenset[str]:
    """The property names of every statement of the graph package (graph.cypher_catalog)."""
    return frozenset(name for statement in all_statements().values()
                     for match in _PROPERTY.finditer(statement) for name in match.groups()
                     if name)
