"""The newcomer's checklist costs nothing on the pages of a member of long standing: the
statement every signed-in request makes skips their first steps, in the same one query."""

from __future__ import annotations

import pytest
from conftest import text
from factories import founder, sponsored
from offer_factories import offer
from web.member.test_feed import CountingEngine
from web.member.test_first_steps import checklist

from graph import members

JOINED_LONG_AGO = "MATCH (m:Member {id: $id}) SET m.created_at = $at RETURN m.id AS id"


@pytest.fixture
def olga(engine):
    """Olga, who joined CHECKLIST_DAYS and a day ago, has done none of her first steps."""
    old = founder(engine, "Olga")
    engine.write(JOINED_LONG_AGO, {"id": old.id, "at": old.created_at
                                   - (members.CHECKLIST_DAYS + 1) * members.DAY})
    return old


def test_the_first_steps_of_a_member_of_long_standing_are_not_computed(engine, olga):
    newcomer = sponsored(engine, olga, "Nina")

    assert members.get_signed_in_member(engine, olga.id)[1] is None
    assert members.get_signed_in_member(engine, newcomer.id)[1] == members.FirstSteps(
        profile=False, offer=False, invitation=False)


def test_an_old_members_feed_has_no_checklist_for_the_same_queries(app, browser, engine,
                                                                     olga):
    newcomer = sponsored(engine, olga, "Nina")
    offer(engine, olga, "A drill")
    services = app.extensions["trustnet"]
    counting = CountingEngine(services.connection.engine)
    services.connection.engine = counting
    try:
        pages = {}
        for member in (olga, newcomer):
            counting.statements.clear()
            pages[member.name] = (text(browser(member).get("/")), len(counting.statements))
    finally:
        services.connection.engine = counting.engine

    (old_page, old_queries), (new_page, new_queries) = pages["Olga"], pages["Nina"]
    assert checklist(old_page) == [] and "A drill" in new_page
    assert checklist(new_page)[1] == "todo: Publish a first offer"
    assert old_queries == new_queries
