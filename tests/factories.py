"""Build the graph a test needs in a line, through the real domain verbs."""

from __future__ import annotations

import functools

from graph import invitations, members
from graph.engine import GraphEngine
from graph.members import Member
from trustnet.security import hash_password, new_invitation_token

PASSWORD = "correct horse battery"


@functools.cache
def password_hash() -> str:
    """A real argon2id hash of PASSWORD, made once (hashing costs ~100 ms)."""
    return hash_password(PASSWORD)


def founder(engine: GraphEngine, name: str = "Alice", email: str | None = None) -> Member:
    """A founder with PASSWORD set."""
    member = members.create_founder(engine, email or f"{name.lower()}@example.org", name)
    members.set_password(engine, member.id, password_hash(), member.session_version)
    found = members.get_member(engine, member.id)
    assert found is not None
    return found


def sponsored(engine: GraphEngine, sponsor: Member, name: str, email: str | None = None,
              *, sponsors_required: int = 1) -> Member:
    """A member invited by sponsor, registered with PASSWORD."""
    secret, digest = new_invitation_token()
    invitations.invite(engine, sponsor.id, email or f"{name.lower()}@example.org", "",
                       digest, default_quota=1000, lifetime_s=3600)
    member_id, _ = invitations.redeem_invitation(
        engine, digest, name, password_hash(), sponsors_required=sponsors_required)
    found = members.get_member(engine, member_id)
    assert found is not None
    return found
