"""Fixtures of the admin tests: an admin, and browsers signed in as a member (recently, or
long ago). Import them: `from admin_fixtures import admin_fixture, admin_browser_fixture`.
`preview_ban` asks for a ban's preview from the member page, `confirm_preview` submits the
preview's confirmation form."""

from __future__ import annotations

import html
import re
import time

import pytest
from conftest import post_form, text
from factories import founder, reload

from graph import roles


@pytest.fixture(name="admin")
def admin_fixture(engine):
    """Alice, a founder with the admin role."""
    alice = founder(engine, "Alice")
    roles.set_admin(engine, None, alice.id, True)
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


def preview_ban(client, member_id: str, reason: str):
    """Submit the member page's ban form: the preview of a ban for that reason."""
    return post_form(client, f"/admin/members/{member_id}/ban/preview", {"reason": reason},
                     page=f"/admin/members/{member_id}")


def confirm_preview(client, page):
    """Submit the confirmation form of a ban preview page, as the admin's browser would."""
    body = text(page)
    form = body[body.index('<form method="post"'):]
    fields = dict(re.findall(r'<input [^>]*name="([\w-]+)"[^>]*value="([^"]*)"', form))
    reason = re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S).group(1).strip()
    action = re.search(r'action="([^"]+)"', form).group(1)
    return client.post(action, data={**{k: html.unescape(v) for k, v in fields.items()},
                                     "reason": html.unescape(reason)})
