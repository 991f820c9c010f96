"""Identifiers for new nodes: random, URL-safe, unguessable."""

import secrets


def new_id() -> str:
    """Return a fresh 80-bit identifier as 20 hex digits."""
    return secrets.token_hex(10)
