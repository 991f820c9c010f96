"""Rotating the secret key signs nobody out: after a restart with a new TRUSTNET_SECRET_KEY
and the old one in TRUSTNET_OLD_SECRET_KEYS (or Flask's SECRET_KEY_FALLBACKS), sessions,
remember-me cookies and invitation links made under the old key still work, and whatever
is signed from then on uses the new key. A cookie signed with a key we never had is refused.
"""

from __future__ import annotations

import pytest
from conftest import join_path, sign_in, text
from factories import founder, invitation

from trustnet import create_app

OLD, NEW, UNKNOWN = "the old secret key", "the new secret key", "a key we never had"


@pytest.fixture
def make_app(app_config, tmp_path, monkeypatch: pytest.MonkeyPatch):
    """Build apps on the test's graph with a given key configuration; closed afterwards."""
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def make(**config):
        apps.append(create_app({**app_config, **config}))
        return apps[-1]

    yield make
    for built in apps:
        built.extensions["trustnet"].close()


def browser_with(app, cookies: dict[str, str]):
    """A fresh browser of app holding these cookies (copied from another browser)."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def signed_in_member_sees_network(browser) -> bool:
    response = browser.get("/network")
    return response.status_code == 200 and "Sign in" not in text(response)


@pytest.fixture
def signed_under_old_key(make_app, engine):
    """A member signed in (remember me) under the old key, and an invitation link from it."""
    alice = founder(engine)
    before = make_app(SECRET_KEY=OLD)
    browser = before.test_client()
    assert sign_in(browser, "alice@example.org", remember=True).status_code == 302
    cookies = {name: browser.get_cookie(name).value for name in ("session", "remember_token")}
    link = join_path(before, invitation(engine, alice, "bob@example.org")[1])
    return cookies, link


@pytest.mark.parametrize("rotation", [
    pytest.param({"env": OLD}, id="TRUSTNET_OLD_SECRET_KEYS"),
    pytest.param({"SECRET_KEY_FALLBACKS": [OLD]}, id="SECRET_KEY_FALLBACKS"),
])
def test_after_a_rotation_old_sessions_and_links_still_work(
        make_app, signed_under_old_key, monkeypatch: pytest.MonkeyPatch, rotation):
    cookies, link = signed_under_old_key
    rotation = dict(rotation)  # the parameter is shared by every engine's run
    if "env" in rotation:
        monkeypatch.setenv("TRUSTNET_OLD_SECRET_KEYS", f"an older one,{rotation.pop('env')}")
    after = make_app(SECRET_KEY=NEW, **rotation)

    session_only = browser_with(after, {"session": cookies["session"]})
    remembered_only = browser_with(after, {"remember_token": cookies["remember_token"]})

    assert signed_in_member_sees_network(session_only)
    assert signed_in_member_sees_network(remembered_only)
    assert "Join TrustNet" in text(after.test_client().get(link))
    # What the new app writes back (session, remember-me) is signed with the new key.
    without_old_key = make_app(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=["unrelated"])
    for name in ("session", "remember_token"):
        renewed = remembered_only.get_cookie(name).value
        assert renewed != cookies[name]
        assert signed_in_member_sees_network(browser_with(without_old_key, {name: renewed}))


def test_a_session_or_link_signed_with_an_unknown_key_is_refused(make_app, signed_under_old_key):
    cookies, link = signed_under_old_key
    after = make_app(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[UNKNOWN])

    for name, value in cookies.items():
        assert not signed_in_member_sees_network(browser_with(after, {name: value})), name
    assert after.test_client().get(link).status_code == 404
