"""`trustnet ban`, `trustnet unban` and `trustnet admin`: stable JSON, exit code 2 on errors."""

from __future__ import annotations

import json

import pytest
from factories import invitation, reload, sponsorship_tree

from graph import audit, roles


@pytest.fixture
def family(engine):
    """alice -> bob -> {carol, dave}; alice -> erin -> dave; bob has a pending invitation."""
    people = sponsorship_tree(engine, "Alice -> Bob", "Alice -> Erin", "Bob -> Carol",
                              "Bob -> Dave", "Erin -> Dave")
    invitation(engine, people["bob"], "zoe@example.org")
    return people


def test_dry_run_prints_the_preview_and_changes_nothing(cli, engine, family):
    result = cli("ban", "BOB@example.org", "--reason", "spam", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "banned": "bob@example.org", "suspended": ["carol@example.org"],
        "strikes": ["alice@example.org"], "invitations_revoked": 1, "offers_hidden": 0,
        "applied": False,
    }
    assert reload(engine, family["bob"]).status == "active"


def test_ban_then_unban(cli, engine, family, mailbox):
    result = cli("ban", "bob@example.org", "--reason", "spam", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["applied"] is True
    assert json.loads(result.stdout)["suspended"] == ["carol@example.org"]
    assert reload(engine, family["carol"]).status == "suspended"
    assert {m["To"] for m in mailbox.wait_for(3)} == {  # the ban, a strike, a suspension
        "bob@example.org", "alice@example.org", "carol@example.org"}
    assert [e.actor_id for e in audit.entries(engine, action="ban")] == [None]

    result = cli("unban", "bob@example.org", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"unbanned": "bob@example.org",
                                         "reactivated": ["carol@example.org"],
                                         "strikes_withdrawn": ["alice@example.org"]}
    assert reload(engine, family["carol"]).status == "active"


def test_human_output(cli, family):
    result = cli("ban", "bob@example.org", "--reason", "spam")
    assert result.exit_code == 0, result.stderr
    assert "bob@example.org is banned; 1 member(s) is suspended" in result.stdout
    assert "  suspended: carol@example.org" in result.stdout


@pytest.mark.parametrize("arguments", [
    ["ban", "nobody@example.org", "--reason", "x", "--json"],
    ["unban", "nobody@example.org", "--json"],
    ["unban", "bob@example.org", "--json"],  # not banned
    ["admin", "grant", "nobody@example.org"],
])
def test_errors_exit_with_code_2_and_one_line(cli, family, arguments):
    result = cli(*arguments)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")


def test_admin_grant_and_revoke(cli, engine, family):
    assert cli("admin", "grant", "erin@example.org").exit_code == 0
    assert reload(engine, family["erin"]).admin
    assert cli("admin", "grant", "erin@example.org").exit_code == 2
    assert cli("admin", "revoke", "erin@example.org").exit_code == 0
    assert not reload(engine, family["erin"]).admin
    assert [e.action for e in audit.entries(engine)] == ["revoke_admin", "grant_admin"]


def test_a_founder_or_an_admin_is_banned_only_by_two_admins(cli, engine, family, mailbox):
    roles.set_admin(engine, None, family["alice"].id, True)
    roles.set_admin(engine, None, family["erin"].id, True)
    roles.set_admin(engine, None, family["carol"].id, True)

    asked = cli("ban", "carol@example.org", "--reason", "abuse", "--admin", "alice@example.org",
                "--json")
    assert asked.exit_code == 0, asked.stderr
    assert json.loads(asked.stdout) == {"requested": "carol@example.org",
                                        "by": "alice@example.org", "applied": False}
    again = cli("ban", "carol@example.org", "--reason", "abuse", "--admin", "alice@example.org")
    assert "already asked" in again.stdout
    assert reload(engine, family["carol"]).status == "active"
    assert [e.action for e in audit.entries(engine, target_id=family["carol"].id)] == [
        "ban_request", "grant_admin"]

    done = cli("ban", "carol@example.org", "--reason", "abuse", "--admin", "erin@example.org",
               "--json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["applied"] is True
    assert reload(engine, family["carol"]).status == "banned"
    assert [e.actor_id for e in audit.entries(engine, action="ban")] == [family["erin"].id]


@pytest.mark.parametrize("arguments, message", [
    (["--reason", "x"], "error: banning a founder or an admin takes two admins: name the admin "
                        "acting\n"),
    (["--reason", "x", "--admin", "bob@example.org"], "error: bob@example.org is not an admin\n"),
])
def test_a_founder_is_not_banned_from_the_command_line_alone(cli, engine, family, arguments,
                                                             message):
    result = cli("ban", "alice@example.org", *arguments)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert reload(engine, family["alice"]).status == "active"
    assert audit.entries(engine, target_id=family["alice"].id) == []
