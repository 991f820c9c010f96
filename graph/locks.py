"""Write locks taken before a statement reads what it is about to change.

Neo4j runs statements concurrently at read-committed isolation: two statements can both
read an invitation as 'pending', and the second then overwrites the first's claim once it
gets the lock (a lost update). Setting a property first takes the node's write lock, and
what the statement reads after it is the latest committed state. FalkorDB serialises
writes, so there the lock costs one property write and changes nothing.
"""

from __future__ import annotations

from graph.engine import check_schema_names


def write_lock(*variables: str) -> str:
    """The Cypher that locks these bound nodes, to put right after the MATCH that binds them.

    Follow it with WITH: the conditions that must hold go after the lock, not before.
    """
    check_schema_names(*variables)
    touched = ", ".join(f"{name}._lock = true" for name in variables)
    removed = ", ".join(f"{name}._lock" for name in variables)
    return f"SET {touched} REMOVE {removed}"
