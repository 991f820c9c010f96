"""Fixtures of the admin tests: an admin, and browsers signed in as a member (recently, or
long ago). Import them: `from admin_fixtures import admin_fixture, admin_browser_fixture`."""

from __future__ import annotations

import time

import pytest
from factories import founder, reload

from graph import moderation


@pytest.fixture(name="admin")
def admin_fixture(engine):
    """Alice, a founder with the admin role."""
    alice = founder(engine, "Alice")
    moderation.set_admin(engine, None, alice.id, True)
    return reload(engine, alice)


@pytest.fixture(name="admin_browser")
def admin_browser_fixture(browser):
    """A browser signed in as member `minutes_ago` minutes ago (just now by default)."""

    def make(member, minutes_ago: float = 0):
        client = browser(member)
        with client.session_transaction() as session:
            session["signed_in_at"] = time.time() - minutes_ago * 60
        return client

    return make
