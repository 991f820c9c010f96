"""A founder or an admin is banned from the admin pages only when two admins confirm it."""

from __future__ import annotations

import pytest
from admin_fixtures import (  # noqa: F401
    admin_browser_fixture,
    admin_fixture,
    confirm_preview,
    preview_ban,
)
from conftest import text
from factories import founder, reload, sponsored

from graph import roles

REQUESTS = "MATCH (r:BanRequest) RETURN r.status AS status"


@pytest.fixture
def crew(engine, admin):
    """Alice (the admin fixture, a founder), Abe (another admin), Fay (another founder) and
    Ned (an admin), both with a member below."""
    abe = sponsored(engine, admin, "Abe")
    roles.set_admin(engine, None, abe.id, True)
    fay = founder(engine, "Fay")
    sponsored(engine, fay, "Dan")
    ned = sponsored(engine, admin, "Ned")
    roles.set_admin(engine, None, ned.id, True)
    sponsored(engine, ned, "Nia")
    return {"alice": admin, "abe": reload(engine, abe), "fay": fay, "ned": reload(engine, ned)}


@pytest.mark.parametrize("target", ["fay", "ned"])
def test_the_first_admin_asks_and_the_second_confirms(app, engine, crew, admin_browser,
                                                      target):
    member = crew[target]
    alice = admin_browser(crew["alice"])
    page = preview_ban(alice, member.id, "takes bribes")
    assert "your confirmation only asks for the ban" in text(page)

    asked = confirm_preview(alice, page)
    assert asked.status_code == 302
    assert asked.headers["Location"].endswith(f"/admin/members/{member.id}")
    member_page = text(alice.get(asked.headers["Location"]))
    assert "You asked for the ban of" in member_page
    assert "Waiting for a second admin" in member_page
    assert "Alice asked for the ban on" in member_page and "takes bribes" in member_page
    assert reload(engine, member).status == "active"
    assert f'/admin/members/{member.id}">{member.name}</a>' in text(alice.get("/admin/"))

    again = confirm_preview(alice, preview_ban(alice, member.id, "takes bribes"))
    assert "You already asked for the ban" in text(alice.get(again.headers["Location"]))
    assert reload(engine, member).status == "active"

    abe = admin_browser(crew["abe"])
    done = confirm_preview(abe, preview_ban(abe, member.id, "takes bribes, confirmed"))
    assert done.status_code == 200
    assert f"{member.name} is banned" in text(done)
    assert reload(engine, member).status == "banned"
    assert engine.read(REQUESTS) == [{"status": "used"}]
    assert "Bans waiting for a second admin" not in text(abe.get("/admin/"))
