"""Checking who signs in, with what that check does besides."""

from __future__ import annotations

from graph import members
from trustnet.actions.invitations import mail_address_confirmation
from trustnet.security import check_password, hash_password
from trustnet.services import graph_engine, plus_apart


def check_sign_in(address: str, password: str) -> members.Member | None:
    """The member whose address and password these are, or None: an unknown address and a
    wrong password get the same answer, in the same time (the password is hashed either
    way). Told only to whoever knows the password, a banned member is returned as they are,
    with no other effect. Otherwise, effects: a password hashed with outdated parameters is
    hashed again and saved (graph.members.rehash_password); a member who has not confirmed
    their address is mailed a new confirmation link (and may not sign in yet)."""
    member = members.find_member_by_email(graph_engine(), address, plus_apart())
    ok, needs_rehash = check_password(member.password_hash if member else None, password)
    if not ok or member is None:
        return None
    if member.status == members.Status.BANNED:
        return member
    if needs_rehash:
        members.rehash_password(graph_engine(), member.id, member.password_hash or "",
                                hash_password(password))
    if not member.confirmed:
        mail_address_confirmation(member)
    return member
