"""`trustnet founder create`: a root member and a link that sets their password once."""

from __future__ import annotations

import re

import pytest
from conftest import path_of, post_form, sign_in, text
from factories import founder

from graph import members

CLAIM_LINK = re.compile(r"Set-password link \(works once, 14 days\): (http://localhost/claim/\S+)")


def test_a_founder_is_created_with_a_link_that_sets_the_password_once(app, cli, engine):
    result = cli("founder", "create", "Alice@Example.org", "--name", "Alice")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Founder Alice <alice@example.org> created.")
    link = path_of(CLAIM_LINK.search(result.stdout).group(1))
    alice = members.find_member_by_email(engine, "alice@example.org")
    assert alice is not None and (alice.founder, alice.status) == (True, "active")
    browser = app.test_client()
    assert "Welcome: choose your password" in text(browser.get(link))

    response = post_form(browser, link, {"password": "the founder's password",
                                         "confirm": "the founder's password"})

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    again = app.test_client().get(link)
    assert (again.status_code, "This link does not work any more" in text(again)) == (410, True)
    assert sign_in(app.test_client(), "alice@example.org",
                   "the founder's password").status_code == 302


@pytest.mark.parametrize(("arguments", "message"), [
    (["alice@example.org", "--name", "Alice 2"], "error: alice@example.org is already a member"),
    (["ALICE@example.org", "--name", "Alice 2"], "error: alice@example.org is already a member"),
    (["not-an-email", "--name", "Nobody"], "error: not-an-email: not a valid e-mail address"),
])
def test_a_founder_that_cannot_be_created_exits_2_with_one_line(cli, engine, arguments,
                                                                 message):
    founder(engine, "Alice")

    result = cli("founder", "create", *arguments)

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""
    assert members.count_members(engine) == 1
