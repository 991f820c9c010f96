"""An id a statement may be given as null (a ban by the command line names no actor, an offer
may have no place) is looked up, never searched for: FalkorDB answers an index lookup of a
null value by scanning every node of the label, which at a million members made each ban
preview a third of a second slower (graph.ids.optional_by_id)."""

from __future__ import annotations

import re

import pytest
from falkordb.helpers import stringify_param_value

from graph import bans, offers
from tests import factories, offer_factories

pytestmark = pytest.mark.falkordb_only("how FalkorDB runs a lookup of a null id")

MEMBERS = 200


def most_rows_of_one_step(engine, query: str, params: dict) -> int:
    """The most rows any step of the statement's plan produced, as FalkorDB profiles it."""
    header = "CYPHER " + " ".join(f"`{name}`={stringify_param_value(value)}"
                                  for name, value in params.items()) + " "
    steps = engine.redis.execute_command("GRAPH.PROFILE", engine.graph_name, header + query)
    return max(int(re.search(r"Records produced: (\d+)", step).group(1)) for step in steps)


def test_a_ban_preview_without_an_actor_reads_no_member_but_the_one_banned(engine):
    alice = factories.founder(engine)
    factories.line_below(engine, alice, MEMBERS)

    most = most_rows_of_one_step(engine, bans.BAN_TARGET, {
        "member_id": "line1", "actor_id": None, "request_ttl_s": 60, "now": 0.0})

    assert most < 10
    assert bans.plan_ban(engine, "line1").member.id == "line1"


def test_an_offer_saved_without_a_place_reads_no_place(engine):
    alice = factories.founder(engine)
    engine.write("UNWIND range(1, $n) AS i CREATE (:Place {id: 'place' + toString(i)})",
                 {"n": MEMBERS})
    offer_id = offer_factories.offer(engine, alice)
    draft = offers.OfferDraft(title="A drill", description="Two batteries.", category="tools",
                              area="Lyon", price=None, currency="EUR", visibility=2)

    most = most_rows_of_one_step(engine, offers.UPDATE_OFFER, {
        **draft.checked(), "owner_id": alice.id, "id": offer_id, "now": 0.0})

    assert draft.checked()["place_id"] is None
    assert most < 10
