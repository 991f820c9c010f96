"""References after an exchange on the real engine: only after a done exchange, one per side
(also when two arrive at once), shown to those who may see the profile, and what bans,
departures and the moderation queue make of them."""

from __future__ import annotations

import pytest
from factories import founder, sponsored
from offer_factories import offer, set_status
from test_invitation_races import all_at_once

from graph import abuse_reports, conversations, departure, offers, references
from graph.errors import Conflict, Forbidden, NotFound


@pytest.fixture
def exchange(engine):
    """Alice sponsored Bob and Dave; Bob lends a drill to his contacts, Alice asked about it.
    Carol is Bob's contact; Erin is Dave's, three steps from Bob."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, alice, "Dave")
    erin = sponsored(engine, dave, "Erin")
    offer_id = offer(engine, bob, visibility=1)
    sent = conversations.start_conversation(engine, alice.id, offer_id, "May I borrow it?", 3)
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "erin": erin,
            "offer": offer_id, "conversation": sent.conversation_id}


def _shown(engine, viewer, about, hops: int = 3) -> list[tuple[str | None, str, str]]:
    """The references on a profile: (author's name, rating, text), newest first."""
    return [(r.author_name, r.rating, r.text)
            for r in offers.profile_for(engine, viewer.id, about.id, hops).references]


def _recommending(engine, viewer, offer_id: str) -> int:
    return offers.offer_for(engine, viewer.id, offer_id, 3).recommending


def test_a_reference_is_refused_until_the_owner_marks_the_exchange_done(engine, exchange):
    alice, bob, c = exchange["alice"], exchange["bob"], exchange["conversation"]

    with pytest.raises(Conflict, match="marked as done"):
        references.leave_reference(engine, alice.id, c, "positive", "Great drill.")
    with pytest.raises(Forbidden):  # only the owner marks it done
        references.mark_done(engine, alice.id, c, "lent")
    assert _shown(engine, alice, bob) == []

    assert references.mark_done(engine, bob.id, c, "lent") == "lent"
    assert references.leave_reference(engine, alice.id, c, "positive", " Great drill. ")
    assert references.leave_reference(engine, bob.id, c, "neutral", "Came back late.")

    assert _shown(engine, alice, bob) == [("Alice", "positive", "Great drill.")]
    assert _shown(engine, bob, alice) == [("Bob", "neutral", "Came back late.")]
    assert references.exchange_state(engine, alice.id, c) == references.ExchangeState(
        done="lent", reviewed=True, owner=False)


def test_each_side_leaves_one_reference_and_outsiders_none(engine, exchange):
    alice, bob, carol, c = (exchange[k] for k in ("alice", "bob", "carol", "conversation"))
    references.mark_done(engine, bob.id, c, "lent")
    references.leave_reference(engine, alice.id, c, "positive", "Great drill.")

    with pytest.raises(Conflict, match="already left"):
        references.leave_reference(engine, alice.id, c, "negative", "Changed my mind.")
    with pytest.raises(NotFound):
        references.leave_reference(engine, carol.id, c, "negative", "Never met him.")
    assert _shown(engine, carol, bob) == [("Alice", "positive", "Great drill.")]


def test_the_same_form_sent_twice_writes_one_reference(engine, exchange):
    alice, bob, c = exchange["alice"], exchange["bob"], exchange["conversation"]
    references.mark_done(engine, bob.id, c, "lent")

    first = references.leave_reference(engine, alice.id, c, "positive", "Fine.", form_key="k1")
    again = references.leave_reference(engine, alice.id, c, "positive", "Fine.", form_key="k1")

    assert (first, again) == (True, False)
    assert len(_shown(engine, bob, bob)) == 1


def test_ten_references_sent_at_once_by_one_side_leave_one(backend, graph_name, engine,
                                                          exchange):
    alice, bob, c = exchange["alice"], exchange["bob"], exchange["conversation"]
    references.mark_done(engine, bob.id, c, "lent")

    outcomes = all_at_once(backend, graph_name, [
        lambda own, k=k: references.leave_reference(own, alice.id, c, "negative", f"Take {k}")
        for k in range(10)])

    assert sum(outcome is True for outcome in outcomes) == 1
    assert all(isinstance(outcome, Conflict) for outcome in outcomes if outcome is not True)
    assert len(_shown(engine, bob, bob)) == 1
    assert len(abuse_reports.open_reports(engine)) == 1


def test_a_negative_reference_reaches_the_moderation_queue(engine, exchange):
    alice, bob, c = exchange["alice"], exchange["bob"], exchange["conversation"]
    references.mark_done(engine, bob.id, c, "lent")
    references.leave_reference(engine, bob.id, c, "positive", "Careful borrower.")
    assert abuse_reports.open_reports(engine) == []

    references.leave_reference(engine, alice.id, c, "negative", "The drill was broken.")

    [report] = abuse_reports.open_reports(engine)
    assert (report.kind, report.reason, report.text, report.reporter_name,
            report.member_id) == ("reference", references.NEGATIVE_REPORT_REASON,
                                  "The drill was broken.", "Alice", bob.id)


def test_references_show_only_to_those_who_may_see_the_profile(engine, exchange):
    alice, bob, erin, c = (exchange[k] for k in ("alice", "bob", "erin", "conversation"))
    references.mark_done(engine, bob.id, c, "given")
    references.leave_reference(engine, alice.id, c, "positive", "Thanks!")

    assert _shown(engine, erin, bob) == [("Alice", "positive", "Thanks!")]  # 3 steps
    with pytest.raises(NotFound):  # beyond reach, like the profile itself
        _shown(engine, erin, bob, hops=2)


def test_a_banned_authors_references_are_hidden_until_the_ban_is_lifted(engine, exchange):
    alice, bob, carol, c = (exchange[k] for k in ("alice", "bob", "carol", "conversation"))
    references.mark_done(engine, bob.id, c, "lent")
    references.leave_reference(engine, alice.id, c, "positive", "Great drill.")

    set_status(engine, alice, "banned")
    assert _shown(engine, carol, bob) == []
    set_status(engine, alice, "active")
    assert _shown(engine, carol, bob) == [("Alice", "positive", "Great drill.")]


def test_a_reference_stays_anonymous_when_its_author_leaves(engine, exchange):
    alice, bob, carol, c = (exchange[k] for k in ("alice", "bob", "carol", "conversation"))
    references.mark_done(engine, bob.id, c, "lent")
    references.leave_reference(engine, alice.id, c, "positive", "Great drill.")
    references.leave_reference(engine, bob.id, c, "positive", "Alice is lovely.")
    assert departure.export_data(engine, alice.id)["references_written"][0]["text"] == (
        "Great drill.")

    departure.leave(engine, alice.id)

    assert _shown(engine, carol, bob) == [(None, "positive", "Great drill.")]
    assert departure.export_data(engine, alice.id)["references_received"][0]["text"] == ""


def test_the_offer_page_counts_the_contacts_who_recommend_its_owner(engine, exchange):
    alice, bob, carol, dave = (exchange[k] for k in ("alice", "bob", "carol", "dave"))
    offer_id, c = exchange["offer"], exchange["conversation"]
    references.mark_done(engine, bob.id, c, "lent")
    references.leave_reference(engine, alice.id, c, "positive", "Great drill.")
    by_carol = conversations.start_conversation(engine, carol.id, offer_id, "Me too?", 3)
    references.mark_done(engine, bob.id, by_carol.conversation_id, "lent")
    references.leave_reference(engine, carol.id, by_carol.conversation_id, "negative", "Broken.")
    everyone = offer(engine, bob, "A ladder", visibility=0)

    # Dave's contacts: Alice (positive); Carol is not his contact and was not positive.
    assert _recommending(engine, dave, everyone) == 1
    assert _recommending(engine, carol, offer_id) == 0
    assert _recommending(engine, bob, offer_id) == 0  # his own
    set_status(engine, alice, "banned")
    assert _recommending(engine, dave, everyone) == 0
