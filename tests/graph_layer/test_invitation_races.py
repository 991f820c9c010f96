"""Invitations under contention: many clients at once, each on its own connection."""

from __future__ import annotations

from collections.abc import Callable

from factories import count_sponsorships, founder, invitation, password_hash, redeem, reload
from races import all_at_once

from graph import invitations, members
from graph.errors import Conflict, Forbidden
from trustnet.security import new_invitation_token, token_hash


def test_twenty_simultaneous_redemptions_of_one_invitation_admit_one_member(
        backend, graph_name, engine):
    alice = founder(engine)
    _, secret = invitation(engine, alice, "bob@example.org")
    digest = token_hash(secret)

    def redeem_as(name: str) -> Callable:
        return lambda own: invitations.redeem_invitation(own, digest, name, password_hash())

    results = all_at_once(backend, graph_name, [redeem_as(f"Bob {n}") for n in range(20)])

    admitted = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert len(admitted) == 1 and len(refused) == 19
    assert {str(error) for error in refused} == {"this invitation has already been used"}
    assert members.count_members(engine) == 2
    assert count_sponsorships(engine) == 1
    bob = members.find_member_by_email(engine, "bob@example.org")
    assert bob is not None and bob.id == admitted[0][0]
    assert count_sponsorships(engine, alice, bob) == 1


def test_two_invitations_sent_at_once_for_the_last_place_of_the_quota_let_one_through(
        backend, graph_name, engine):
    quota = 3
    for round_number in range(5):  # several rounds: a lost race must not hide by luck
        sponsor = founder(engine, f"Sponsor{round_number}")
        for n in range(quota - 1):
            _, digest = new_invitation_token()
            invitations.invite(engine, sponsor.id, f"early{n}@example.org", "", digest,
                               default_quota=quota, lifetime_s=3600)

        def invite(email: str) -> Callable:
            _, digest = new_invitation_token()
            return lambda own: invitations.invite(own, sponsor.id, email, "", digest,
                                                  default_quota=quota, lifetime_s=3600)

        results = all_at_once(backend, graph_name,
                              [invite("late1@example.org"), invite("late2@example.org")])

        sent = [result for result in results if isinstance(result, str)]
        refused = [result for result in results if isinstance(result, Forbidden)]
        assert len(sent) == 1 and len(refused) == 1
        assert str(refused[0]) == f"you have used all {quota} of your invitations"
        assert len(invitations.list_invitations(engine, sponsor.id)) == quota
        assert invitations.invitations_left(engine, sponsor.id, quota) == 0


def test_a_revocation_racing_redemptions_leaves_either_a_member_or_a_revoked_invitation(
        backend, graph_name, engine):
    alice = founder(engine)
    for round_number in range(5):  # several rounds: a lost update must not hide by luck
        email = f"bob{round_number}@example.org"
        invitation_id, secret = invitation(engine, alice, email)
        digest = token_hash(secret)

        def revoke(own):
            return invitations.revoke_invitation(own, alice.id, invitation_id)

        def redeem(own):
            return invitations.redeem_invitation(own, digest, "Bob", password_hash())

        results = all_at_once(backend, graph_name, [revoke, redeem, redeem, redeem])

        [status] = [i.status for i in invitations.list_invitations(engine, alice.id)
                    if i.id == invitation_id]
        registered = members.find_member_by_email(engine, email)
        revoked = results[0] is None
        assert status == ("revoked" if revoked else "redeemed")
        assert (registered is None) is revoked
        assert sum(isinstance(result, tuple) for result in results[1:]) == (0 if revoked else 1)


def test_ten_simultaneous_clicks_on_the_confirmation_link_confirm_the_address_once(
        backend, graph_name, engine):
    alice = founder(engine)
    _, secret = invitation(engine, alice, "bob@example.org")
    bob = redeem(engine, secret, "Bob", confirmed=False)
    assert not bob.confirmed

    results = all_at_once(backend, graph_name,
                          [lambda own: members.confirm_address(own, bob.id)] * 10)

    assert sorted(results) == [False] * 9 + [True]  # one sign-in and welcome, nine "already"
    assert reload(engine, bob).confirmed
