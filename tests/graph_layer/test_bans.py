"""Bans through the real verbs: the cascade, strikes, unban, re-activation, blocked addresses."""

from __future__ import annotations

import pytest
from factories import (
    count_sponsorships,
    founder,
    invitation,
    redeem,
    reload,
    sponsored,
    sponsorship_tree,
)

from graph import audit, bans, invitations, members, sponsorship
from graph.errors import Conflict, Forbidden, Invalid, NotFound
from trustnet.security import new_invitation_token

THRESHOLD = 2

OFFER = """
MATCH (m:Member {id: $owner_id})
CREATE (m)-[:OFFERS]->(:Offer {id: $id, title: 'Drill', status: $status, hidden: false})
"""


def ban(engine, member, actor=None, reason="scam"):
    return bans.ban(engine, actor.id if actor else None, member.id, reason,
                    strike_threshold=THRESHOLD)


def unban(engine, member, actor=None):
    return bans.unban(engine, actor.id if actor else None, member.id, "appeal granted",
                      strike_threshold=THRESHOLD)


@pytest.fixture
def tree(engine):
    """alice (founder) -> bob -> carol -> dave; alice -> erin -> carol; bob -> frank."""
    return sponsorship_tree(engine, "Alice -> Bob", "Alice -> Erin", "Bob -> Carol",
                            "Bob -> Frank", "Carol -> Dave", "Erin -> Carol")


def test_preview_changes_nothing_and_matches_the_ban(engine, tree):
    plan = bans.plan_ban(engine, tree["bob"].id)
    assert [s.name for s in plan.suspended] == ["Frank"]
    assert [s.name for s in plan.strikes] == ["Alice"]
    assert reload(engine, tree["frank"]).status == "active"
    done = ban(engine, tree["bob"])
    assert done.suspended == plan.suspended and done.strikes == plan.strikes
    status = {name: reload(engine, m).status for name, m in tree.items()}
    assert status == {"alice": "active", "bob": "banned", "erin": "active", "carol": "active",
                      "frank": "suspended", "dave": "active"}


def test_ban_kills_sessions_revokes_invitations_and_counts_offers(engine, tree):
    bob = tree["bob"]
    invitation_id, _ = invitation(engine, bob, "gina@example.org")
    engine.write(OFFER, {"owner_id": bob.id, "id": "o1", "status": "active"})
    engine.write(OFFER, {"owner_id": bob.id, "id": "o2", "status": "paused"})
    engine.write(OFFER, {"owner_id": bob.id, "id": "o3", "status": "closed"})
    done = ban(engine, bob)
    assert done.invitations_revoked == 1 and done.offers_hidden == 2
    assert reload(engine, bob).session_version == bob.session_version + 1
    sent = invitations.list_invitations(engine, bob.id)
    assert [i.status for i in sent if i.id == invitation_id] == ["revoked"]


@pytest.mark.parametrize("variant", ["BOB@example.org", "b.o.b@gmail.com", "bob+x@gmail.com",
                                     "Bob+again@Gmail.com", "bob@googlemail.com"])
def test_a_banned_address_cannot_come_back_as_a_variant(engine, variant):
    alice = founder(engine, "Alice")
    carol = sponsored(engine, alice, "Carol")
    email = "bob@example.org" if variant.lower().endswith("example.org") else "bob@gmail.com"
    bob = sponsored(engine, alice, "Bob", email=email)
    ban(engine, bob)
    _, digest = new_invitation_token()
    with pytest.raises(Conflict, match="already belongs"):
        invitations.invite(engine, carol.id, variant, "", digest, default_quota=5,
                           lifetime_s=3600)
    assert members.find_member_by_email(engine, variant).status == "banned"


def test_strikes_suspend_the_right_to_invite_at_the_threshold_and_are_withdrawn(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    first, second = sponsored(engine, bob, "First"), sponsored(engine, bob, "Second")
    ban(engine, first)
    assert bans.standing(engine, alice.id).strikes == []
    standing = bans.standing(engine, bob.id)
    assert [s.sponsee for s in standing.strikes] == ["First"]
    assert not standing.invites_suspended
    sponsored(engine, bob, "Third")  # one strike: may still invite
    ban(engine, second)
    _, digest = new_invitation_token()
    with pytest.raises(Forbidden, match="suspended"):
        invitations.invite(engine, bob.id, "x@example.org", "", digest, default_quota=9,
                           lifetime_s=3600)
    done = unban(engine, second)
    assert [s.name for s in done.strikes_withdrawn] == ["Bob"]
    invitations.invite(engine, bob.id, "x@example.org", "", digest, default_quota=9,
                       lifetime_s=3600)


def test_a_sponsor_struck_out_of_inviting_sponsors_nobody_by_any_other_way(engine):
    alice = founder(engine, "Alice")
    bob, carol, erin = (sponsored(engine, alice, name) for name in ("Bob", "Carol", "Erin"))
    first, second = sponsored(engine, bob, "First"), sponsored(engine, bob, "Second")
    _, dan_secret = invitation(engine, alice, "dan@example.org")
    dan = redeem(engine, dan_secret, "Dan", sponsors_required=2)
    hank = sponsored(engine, sponsored(engine, carol, "Gina"), "Hank")
    waiting_offer = sponsorship.offer_vouch(engine, bob.id, carol.email)
    _, sent_before = invitation(engine, bob, "ivy@example.org")
    ban(engine, first)
    ban(engine, second)
    ban(engine, members.find_member_by_email(engine, "gina@example.org"))
    assert bans.standing(engine, bob.id).invites_suspended

    with pytest.raises(NotFound):
        sponsorship.confirm_vouch(engine, carol.id, waiting_offer)
    with pytest.raises(Forbidden, match="suspended"):
        sponsorship.offer_vouch(engine, bob.id, erin.email)
    with pytest.raises(Forbidden, match="suspended"):
        sponsorship.sponsor_pending_member(engine, bob.id, dan.id, required=2)
    with pytest.raises(Conflict):
        bans.vouch_for_suspended(engine, bob.id, hank.id)
    with pytest.raises(Conflict, match="can no longer sponsor"):
        redeem(engine, sent_before, "Ivy")

    assert count_sponsorships(engine, sponsor=bob) == 2  # First and Second, from before
    assert sponsorship.pending_vouches(engine, erin.id) == []
    assert (reload(engine, dan).status, reload(engine, hank).status) == ("pending", "suspended")
    unban(engine, second)
    assert sponsorship.sponsor_pending_member(engine, bob.id, dan.id, required=2) == "active"


def test_unban_restores_and_reactivates_and_logs(engine, tree):
    admin = tree["alice"]
    ban(engine, tree["bob"], actor=admin)
    done = unban(engine, tree["bob"], actor=admin)
    assert done.status == "active"
    assert [s.name for s in done.reactivated] == ["Frank"]
    assert [s.name for s in done.strikes_withdrawn] == ["Alice"]
    log = audit.entries(engine, actor_id=admin.id)
    assert sorted(e.action for e in log) == ["ban", "reactivate", "strike", "strike_withdrawn",
                                             "suspend", "unban"]
    assert {e.target_name for e in log if e.action in ("suspend", "reactivate")} == {"Frank"}
    with pytest.raises(Conflict, match="not banned"):  # lifted already
        unban(engine, tree["bob"])


def test_ban_after_ban_and_unban_in_the_other_order(engine, tree):
    ban(engine, tree["bob"])
    done = ban(engine, tree["erin"])  # carol's last chain goes: carol and dave too
    assert [s.name for s in done.suspended] == ["Carol", "Dave"]
    back = unban(engine, tree["bob"]).reactivated  # erin's suspension ends too: I2
    assert [s.name for s in back] == ["Carol", "Dave", "Frank"]


def test_unbanned_member_without_a_chain_comes_back_suspended(engine, tree):
    ban(engine, tree["bob"])
    ban(engine, tree["frank"])  # suspended already: banning them suspends nobody
    assert unban(engine, tree["frank"]).status == "suspended"
    assert unban(engine, tree["bob"]).reactivated[0].name == "Frank"


def test_a_vouch_reactivates_the_suspended_member_and_their_sponsees(engine, tree):
    frank = tree["frank"]
    gina = sponsored(engine, frank, "Gina")
    ban(engine, tree["bob"])
    assert reload(engine, gina).status == "suspended"
    assert [k.name for k in bans.could_vouch(engine, frank.id)] == ["Alice", "Carol"]
    assert bans.vouch_for_suspended(engine, tree["carol"].id, frank.id) == 2
    assert reload(engine, gina).status == "active"
    with pytest.raises(Conflict):
        bans.vouch_for_suspended(engine, tree["carol"].id, frank.id)


def test_an_ordinary_vouch_cannot_anchor_a_suspended_member(engine, tree):
    frank = tree["frank"]
    offer = sponsorship.offer_vouch(engine, tree["dave"].id, frank.email)
    ban(engine, tree["bob"])
    with pytest.raises(NotFound):
        sponsorship.confirm_vouch(engine, frank.id, offer)
    assert reload(engine, frank).status == "suspended"


def test_refusals(engine, tree):
    with pytest.raises(Invalid):
        ban(engine, tree["bob"], reason="  ")
    with pytest.raises(Forbidden):
        bans.ban(engine, tree["bob"].id, tree["bob"].id, "me", strike_threshold=2)
    with pytest.raises(NotFound):
        bans.plan_ban(engine, "nobody")
    ban(engine, tree["bob"])
    with pytest.raises(Conflict):
        ban(engine, tree["bob"])
