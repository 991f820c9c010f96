"""Vouching: a member offers to co-sponsor another, who accepts or declines, and an active
member vouches for a suspended one."""

from __future__ import annotations

from graph import bans, sponsorship
from graph.errors import NotFound
from trustnet.actions.addresses import checked_address
from trustnet.login import SignedInMember
from trustnet.services import graph_engine, plus_apart

ANSWERS = ("confirm", "decline")


def offer_vouch(voucher: SignedInMember, email: str, note: str) -> None:
    """The voucher offers to co-sponsor the active member behind an address. Effects: the
    offer and that member's notification (one statement, graph.sponsorship.offer_vouch),
    or nothing when the address is nobody's, a member the voucher already sponsors or one
    who is not active: the voucher is not told which, so the form is no directory.
    Invalid for an address that is not one; Forbidden when the voucher may sponsor nobody."""
    sponsorship.offer_vouch(graph_engine(), voucher.id, checked_address(email), note,
                            plus_apart=plus_apart())


def answer_vouch(member_id: str, vouch_id: str, answer: str) -> str | None:
    """The member answers a vouch offered to them: 'confirm' makes the voucher their
    sponsor, with the voucher's notification, and returns the voucher's name; 'decline'
    closes the offer, linking nobody, and returns None (each one statement of
    graph.sponsorship). NotFound for another answer, or an offer no longer open to them."""
    if answer not in ANSWERS:
        raise NotFound("no such answer")
    if answer == "confirm":
        return sponsorship.confirm_vouch(graph_engine(), member_id, vouch_id)
    sponsorship.decline_vouch(graph_engine(), member_id, vouch_id)
    return None


def vouch_for_suspended(voucher_id: str, member_id: str) -> int:
    """An active member sponsors a suspended one (one statement, graph.bans): the member and
    every suspended member they anchor again are re-activated and notified, each with its
    audit entry; returns how many were re-activated. Conflict when the member is not
    suspended, the voucher may sponsor nobody, or the two are already linked."""
    return bans.vouch_for_suspended(graph_engine(), voucher_id, member_id)
