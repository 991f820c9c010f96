"""Pages that re-check a signed-in member's password (admin re-authentication, a password
change, leaving) allow a few wrong ones per window, like sign-in: a stolen session must not
become a way to guess the password."""

from __future__ import annotations

import pytest
from conftest import csrf_token, login_as, text
from factories import PASSWORD, founder, reload

from graph import roles

LIMIT = 2
WRONG = "not the password"
NEW = "a brand new password"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TRUSTNET_LOGIN_LIMIT_ACCOUNT": LIMIT}


@pytest.fixture
def alice(engine):
    """A founder with the admin role, signed in long ago (the admin pages ask again)."""
    member = founder(engine)
    roles.set_admin(engine, None, member.id, True)
    return reload(engine, member)


RECHECKS = {
    "admin re-authentication": ("/admin/reauthenticate", lambda pw: {"password": pw}),
    "password change": ("/settings", lambda pw: {"pw-current": pw, "pw-password": NEW,
                                                  "pw-confirm": NEW}),
    "leaving": ("/account/leave", lambda pw: {"password": pw}),
}


@pytest.mark.parametrize("page", RECHECKS)
def test_the_right_password_is_refused_after_too_many_wrong_ones(app, engine, alice, page):
    path, form = RECHECKS[page]
    browser = login_as(app.test_client(), alice)

    def submit(password: str):
        token = csrf_token(text(browser.get(path)))
        return browser.post(path, data={**form(password), "csrf_token": token})

    for _ in range(LIMIT):
        wrong = submit(WRONG)
        assert wrong.status_code == 200 and "not your" in text(wrong)
    refused = submit(PASSWORD)

    assert refused.status_code == 429
    assert "Too many wrong passwords. Wait a few minutes." in text(refused)
    after = reload(engine, alice)
    assert (after.status, after.password_hash) == ("active", alice.password_hash)
    assert browser.get("/admin/").headers["Location"].startswith("/admin/reauthenticate")


def test_the_budget_is_the_members_own(app, engine, alice):
    """Another member's wrong passwords cost alice nothing."""
    bob = founder(engine, "Bob")
    intruder = login_as(app.test_client(), bob)
    for _ in range(LIMIT + 1):
        token = csrf_token(text(intruder.get("/account/leave")))
        intruder.post("/account/leave", data={"password": WRONG, "csrf_token": token})

    browser = login_as(app.test_client(), alice)
    token = csrf_token(text(browser.get("/admin/reauthenticate")))
    right = browser.post("/admin/reauthenticate", data={"password": PASSWORD,
                                                        "csrf_token": token})

    assert (right.status_code, right.headers["Location"]) == (302, "/admin/")
