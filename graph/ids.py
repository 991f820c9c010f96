"""Identifiers for new nodes: random, URL-safe, unguessable."""

import hashlib
import secrets


def new_id() -> str:
    """Return a fresh 80-bit identifier as 20 hex digits."""
    return secrets.token_hex(10)


def id_for_form(author_id: str, form_key: str | None) -> str:
    """The id of what `author_id` creates by sending the form whose idempotency key is
    `form_key` (made when the form was shown): the same for the same form sent twice, so
    that its verb finds what the first sending made instead of making it again. A fresh id
    without a key. Scoped by author: nobody can aim at an id of someone else's."""
    if form_key is None:
        return new_id()
    return hashlib.sha256(f"{author_id}\n{form_key}".encode()).hexdigest()[:20]


def optional_by_id(variable: str, label: str, parameter: str) -> str:
    """The Cypher that binds `variable` to the node of `label` whose id is the parameter,
    or to null when there is none or the parameter is null (a ban by the command line has no
    actor, an offer no place). FalkorDB answers an index lookup of a null value by scanning
    every node of the label, a third of a second at a million members; no id is empty, so
    the empty string finds nothing at once. All three names are constants of the caller."""
    return f"OPTIONAL MATCH ({variable}:{label} {{id: coalesce(${parameter}, '')}})"
