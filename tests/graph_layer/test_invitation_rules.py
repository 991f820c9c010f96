"""The invitation rules held by the graph verbs themselves, whatever page or command calls them:
an invitation past its date cannot be redeemed, and it no longer takes a place of the quota."""

from __future__ import annotations

import time

import pytest
from factories import count_nodes, founder, invitation, password_hash

from graph import invitations, members
from graph.errors import Conflict, Forbidden
from trustnet.security import new_invitation_token, token_hash

DAY = 86_400


def test_an_invitation_past_its_date_cannot_be_redeemed_through_the_verb(engine):
    alice = founder(engine)
    _, secret = invitation(engine, alice, "bob@example.org", lifetime_s=DAY,
                           now=time.time() - 2 * DAY)
    before = count_nodes(engine)

    with pytest.raises(Conflict, match="expired"):
        invitations.redeem_invitation(engine, token_hash(secret), "Bob", password_hash())

    assert members.find_member_by_email(engine, "bob@example.org") is None
    assert count_nodes(engine) == before


def test_expired_invitations_leave_their_place_of_the_quota(engine):
    alice = founder(engine)
    quota = 2
    for n in range(quota):  # both sent long ago, both expired unused
        _, digest = new_invitation_token()
        invitations.invite(engine, alice.id, f"old{n}@example.org", "", digest,
                           default_quota=quota, lifetime_s=DAY, now=time.time() - 30 * DAY)

    assert invitations.invitations_left(engine, alice.id, quota) == quota
    for n in range(quota):
        _, digest = new_invitation_token()
        invitations.invite(engine, alice.id, f"new{n}@example.org", "", digest,
                           default_quota=quota, lifetime_s=DAY)
    _, digest = new_invitation_token()
    with pytest.raises(Forbidden):
        invitations.invite(engine, alice.id, "one-too-many@example.org", "", digest,
                           default_quota=quota, lifetime_s=DAY)


def test_invitations_of_more_than_a_day_ago_leave_the_days_mails(engine):
    alice = founder(engine)
    for n in range(2):  # yesterday's, revoked
        _, digest = new_invitation_token()
        sent = invitations.invite(engine, alice.id, f"old{n}@example.org", "", digest,
                                  default_quota=5, lifetime_s=DAY, per_day=2,
                                  now=time.time() - DAY - 60)
        invitations.revoke_invitation(engine, alice.id, sent)
    for n in range(2):
        _, digest = new_invitation_token()
        sent = invitations.invite(engine, alice.id, f"new{n}@example.org", "", digest,
                                  default_quota=5, lifetime_s=DAY, per_day=2)
        invitations.revoke_invitation(engine, alice.id, sent)

    _, digest = new_invitation_token()
    with pytest.raises(Forbidden, match="in the last 24 hours"):
        invitations.invite(engine, alice.id, "third@example.org", "", digest,
                           default_quota=5, lifetime_s=DAY, per_day=2)
