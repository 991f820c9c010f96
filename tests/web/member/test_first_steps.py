"""A newcomer lands on the feed with a checklist of three first steps, each ticked when done,
and the checklist goes once all are done (or after the first weeks)."""

from __future__ import annotations

import re

import pytest
from conftest import text
from factories import founder, invitation, sponsored
from offer_factories import offer
from place_factories import load_towns

from graph import places

CHECKLIST = re.compile(r'<ul class="checklist">(.*?)</ul>', re.S)


@pytest.fixture
def bob(engine):
    """Bob, whom Alice just brought in."""
    return sponsored(engine, founder(engine, "Alice"), "Bob")


def checklist(page: str) -> list[str]:
    """Each step as 'done: label' or 'todo: label'."""
    found = CHECKLIST.search(page)
    if found is None:
        return []
    return [("done: " if "<s>" in item else "todo: ") + re.sub(r"<[^>]+>|[✓○]|\(done\)", "",
                                                                  item).strip()
            for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def test_a_newcomer_sees_three_first_steps_ticked_as_they_are_done(browser, bob, engine):
    assert checklist(text(browser(bob).get("/"))) == [
        "todo: Complete your profile: choose your town",
        "todo: Publish a first offer", "todo: Invite someone you trust"]

    offer(engine, bob, "A drill")
    invitation(engine, bob, "carol@example.org")

    page = text(browser(bob).get("/"))
    assert checklist(page) == [
        "todo: Complete your profile: choose your town",
        "done: Publish a first offer", "done: Invite someone you trust"]
    assert '<a href="/settings#home">Complete your profile' in page


def test_the_checklist_is_gone_once_every_step_is_done(browser, bob, engine):
    offer(engine, bob, "A drill")
    invitation(engine, bob, "carol@example.org")
    places.set_home(engine, bob.id, load_towns(engine, "Lyon")["Lyon"])

    page = text(browser(bob).get("/"))

    assert checklist(page) == [] and "Trois premiers pas" not in page


def test_the_checklist_speaks_french(browser, bob):
    page = text(browser(bob).get("/", headers={"Accept-Language": "fr"}))

    assert "Trois premiers pas" in page and "Publier une première offre" in page


def test_a_member_of_long_standing_is_not_shown_the_checklist(browser, engine):
    old = founder(engine, "Olga")
    engine.write("MATCH (m:Member {id: $id}) SET m.created_at = 0 RETURN m.id AS id",
                 {"id": old.id})

    assert checklist(text(browser(old).get("/"))) == []
