"""The check of an address typed in a form, shared by the actions that take one."""

from __future__ import annotations

from graph.emails import normalize_email
from graph.errors import Invalid


def checked_address(email: str) -> str:
    """The address, trimmed and lower-cased (graph.emails.normalize_email); Invalid when it
    is not one, so that a route shows it like any other refusal."""
    try:
        return normalize_email(email)
    except ValueError:
        raise Invalid("This is not a valid e-mail address.") from None
