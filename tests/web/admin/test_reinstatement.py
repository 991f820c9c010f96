"""A granted suspension appeal reinstates the member as a root of the trust graph: the admin
becomes nobody's sponsor, so no strike reaches them, and no later ban above the member
suspends them again."""

from __future__ import annotations

from admin_fixtures import admin_browser_fixture, admin_fixture  # noqa: F401
from conftest import csrf_token, text
from factories import count_sponsorships, reload, sponsored

from graph import bans, sanction_appeals

THRESHOLD = 2


def grant(client, appeal_id):
    """The admin grants the appeal from the appeals queue, as in the browser."""
    queue = client.get("/admin/appeals")
    return client.post(f"/admin/appeals/{appeal_id}", data={
        "csrf_token": csrf_token(text(queue)), f"{appeal_id}-note": "Welcome back.",
        "decision": "granted"})


def test_a_granted_suspension_appeal_sponsors_nobody_and_outlives_later_bans(
        engine, admin, admin_browser):
    """alice (admin) -> pat -> bob -> carol -> dave: banning pat suspends bob, carol, dave."""
    pat = sponsored(engine, admin, "Pat")
    bob = sponsored(engine, pat, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, carol, "Dave")
    bans.ban(engine, admin.id, pat.id, "scam", strike_threshold=THRESHOLD)
    assert reload(engine, carol).status == reload(engine, dave).status == "suspended"

    appeal_id = sanction_appeals.file_appeal(engine, carol.id, "I never met Pat.")
    assert grant(admin_browser(admin), appeal_id).status_code == 302

    assert count_sponsorships(engine, admin, carol) == 0
    assert [reload(engine, m).status for m in (bob, carol, dave)] == [
        "suspended", "active", "active"]

    # Pat's ban lifted, Bob is back; banning Bob, Carol's old sponsor, leaves Carol and
    # whom she anchors active.
    bans.unban(engine, admin.id, pat.id, "mistake", strike_threshold=THRESHOLD)
    assert reload(engine, bob).status == "active"
    banned_bob = bans.ban(engine, admin.id, bob.id, "spam", strike_threshold=THRESHOLD)
    assert banned_bob.suspended == []
    assert [reload(engine, m).status for m in (carol, dave)] == ["active", "active"]

    # Carol's own ban strikes nobody: the admin who granted her appeal is not her sponsor.
    banned_carol = bans.ban(engine, admin.id, carol.id, "spam", strike_threshold=THRESHOLD)
    assert banned_carol.strikes == []
    assert [s.sponsee for s in bans.standing(engine, admin.id).strikes] == []
    assert reload(engine, dave).status == "suspended"
