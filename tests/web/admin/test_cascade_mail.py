"""A ban whose cascade runs as a background job (graph.jobs) mails the members it suspends,
as a ban made within its request does: in each one's language, unless they turned that
mail off, through the app's mail path (real SMTP capture)."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from admin_fixtures import admin_browser_fixture, admin_fixture  # noqa: F401
from conftest import path_of, post_form
from factories import count_in_line, line_below, sponsored
from test_ban_jobs import until_done

from graph import notifications

LINE = 20  # more than one walk statement (graph.bans.WALK_LEVELS): past a zero budget


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


@pytest.fixture
def app_config(app_config):
    """No time to walk below a member within the request: every ban's cascade is a job."""
    return {**app_config, "TRUSTNET_WALK_BUDGET_MS": 0}


def test_members_suspended_by_a_background_cascade_are_mailed_in_their_language(
        engine, admin, admin_browser, mailbox):
    bob = sponsored(engine, admin, "Bob")
    line_below(engine, bob, LINE)
    engine.write("MATCH (m:Member {id: 'line1'}) SET m.locale = 'fr'")
    notifications.set_mail_off(engine, "line2", ["sanction"])
    client = admin_browser(admin)

    queued = post_form(client, f"/admin/members/{bob.id}/ban", {"reason": "spam"},
                       page=f"/admin/members/{bob.id}")
    assert path_of(queued.headers["Location"]).startswith("/admin/jobs/")
    until_done(client, path_of(queued.headers["Location"]), within=120)

    assert count_in_line(engine, "suspended") == LINE
    mailbox.wait_for(2 + LINE - 1)  # the ban and strike notices, then the suspensions
    assert [subject(m) for m in mailbox.to("line1@example.org")] == [
        "Votre compte TrustNet est suspendu"]
    assert mailbox.to("line2@example.org") == []
    assert [subject(m) for m in mailbox.to(f"line{LINE}@example.org")] == [
        "Your TrustNet account is suspended"]
    suspended = {m["To"] for m in mailbox.messages} - {"bob@example.org", "alice@example.org"}
    assert suspended == {f"line{k}@example.org" for k in range(1, LINE + 1) if k != 2}
    assert mailbox.connections_to(suspended) == 1  # one connection for the whole cascade
