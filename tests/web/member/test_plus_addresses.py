"""A +tag is an alias at every domain, unless the operator declares the domain apart
(TRUSTNET_PLUS_APART_DOMAINS); the keys stored under another list are brought in line when
the app starts."""

from __future__ import annotations

import pytest
from conftest import login_as, post_form, sign_in, text
from factories import founder, invitation, password_hash, sponsored

from graph import bans, members
from trustnet import create_app

INVITATION_KEY = "MATCH (i:Invitation {email: $email}) RETURN i.email_key AS key"
# What the rule before this one stored for a tag at a domain of no list: the whole address.
KEY_OF_THE_OLD_RULE = "MATCH (i:Invitation {email: $email}) SET i.email_key = $email"


@pytest.fixture
def start_app(app_config, tmp_path, monkeypatch):
    """Start apps on the test's graph, with settings of their own; close them after."""
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    started = []

    def start(**settings):
        started.append(create_app({**app_config, **settings}))
        return started[-1]

    yield start
    for app in started:
        app.extensions["trustnet"].close()


def invite(app, sponsor, email: str) -> str:
    """Send an invitation from the invitations page; return the page it leads to."""
    browser = login_as(app.test_client(), sponsor)
    return text(post_form(browser, "/invitations", {"email": email, "note": ""}))


def test_a_banned_member_cannot_come_back_with_a_tag_at_a_provider_of_no_list(
        engine, start_app):
    alice = founder(engine, "Alice")
    mallory = sponsored(engine, alice, "Mallory", "mallory@small-provider.example")
    bans.ban(engine, alice.id, mallory.id, "scam", strike_threshold=2)
    app = start_app()

    page = invite(app, alice, "Mallory+again@small-provider.example")

    assert "this address cannot be invited: it already belongs to an account" in page
    assert members.find_member_by_email(engine, "mallory+1@small-provider.example").status \
        == "banned"


def test_at_a_domain_declared_apart_a_tag_is_a_mailbox_of_its_own(engine, start_app):
    alice = founder(engine, "Alice")
    founder(engine, "Dan", "dan@corp.example")
    app = start_app(TRUSTNET_PLUS_APART_DOMAINS="other.example, Corp.example")

    page = invite(app, alice, "dan+home@corp.example")

    assert "Invitation sent to dan+home@corp.example." in page


def test_keys_stored_under_another_list_are_brought_in_line_at_start(engine, start_app):
    alice = founder(engine, "Alice")
    apart = {"corp.example"}  # the list the graph was written under
    dan = members.create_founder(engine, "dan+work@corp.example", "Dan", plus_apart=apart)
    members.set_password(engine, dan.id, password_hash(), dan.session_version)
    invitation(engine, alice, "eve+x@corp.example")
    engine.write(KEY_OF_THE_OLD_RULE, {"email": "eve+x@corp.example"})

    app = start_app()  # no domain apart any more

    assert sign_in(app.test_client(), "dan@corp.example").headers["Location"] == "/"
    assert "already belongs to an account" in invite(app, alice, "dan+new@corp.example")
    assert engine.read(INVITATION_KEY, {"email": "eve+x@corp.example"}) == [
        {"key": "eve@corp.example"}]
    start_app(TRUSTNET_PLUS_APART_DOMAINS="corp.example")  # and back
    assert members.find_member_by_email(engine, "dan@corp.example") is None
    assert members.find_member_by_email(engine, "dan+work@corp.example",
                                        plus_apart=apart).id == dan.id
