"""The admin pages offer a ban exactly where the ban verb accepts one, and the lifting of a
ban exactly where there is one: the pages ask graph.bans (ban_refusal, may_unban), they do
not decide who may be banned themselves."""

from __future__ import annotations

import pytest
from admin_fixtures import admin_browser_fixture, admin_fixture  # noqa: F401
from conftest import text
from factories import sponsored
from offer_factories import set_status

from graph import bans, departure, roles
from graph.errors import DomainError

BAN_FORM = "Preview the ban"
UNBAN_FORM = "Lift the ban"
TWO_ADMINS = "banned only when two admins confirm it"


def ban_accepted(engine, actor_id: str, member_id: str) -> bool:
    """Whether the ban verb itself bans (or records the request of) this admin."""
    try:
        bans.ban(engine, actor_id, member_id, "Testing who may be banned", strike_threshold=3)
    except DomainError:
        return False
    return True


@pytest.mark.parametrize("who", ["active", "pending", "suspended", "banned", "departed",
                                 "another admin", "the admin herself"])
def test_the_member_page_offers_a_ban_where_the_verb_accepts_one(engine, admin, admin_browser,
                                                                 who):
    member = admin if who == "the admin herself" else sponsored(engine, admin, "Bob")
    if who in ("pending", "suspended", "banned"):
        set_status(engine, member, who)
    elif who == "departed":
        departure.leave(engine, member.id)
    elif who == "another admin":
        roles.set_admin(engine, None, member.id, True)

    page = text(admin_browser(admin).get(f"/admin/members/{member.id}"))

    assert (UNBAN_FORM in page) == (who == "banned")
    assert (TWO_ADMINS in page) == (who in ("another admin",))
    assert (BAN_FORM in page) == ban_accepted(engine, admin.id, member.id)
