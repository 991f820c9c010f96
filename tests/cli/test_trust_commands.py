"""`trustnet path` and `trustnet circle`: trust as stable JSON for operators and scripts."""

from __future__ import annotations

import json

import pytest
from factories import founder, sponsored
from offer_factories import set_status

from graph import sponsorship


@pytest.fixture
def chain(engine):
    """Alice -> Bob -> Carol -> Dave, each sponsoring the next; Erin is Alice's contact too,
    and vouched for Carol."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, carol, "Dave")
    erin = sponsored(engine, alice, "Erin")
    sponsorship.confirm_vouch(engine, carol.id,
                              sponsorship.offer_vouch(engine, erin.id, carol.email))
    return alice, bob, carol, dave, erin


def test_path_prints_degree_path_and_strength(cli, chain):
    result = cli("path", "Alice@Example.org", "dave@example.org", "--json")

    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["from"], found["to"], found["degree"], found["strength"]) == (
        "alice@example.org", "dave@example.org", 3, 2)
    assert found["path"][0] == "alice@example.org" and found["path"][2:] == [
        "carol@example.org", "dave@example.org"]


def test_path_beyond_the_maximum_or_through_no_active_member_is_not_connected(
        cli, chain, engine):
    alice, bob, carol, dave, erin = chain
    not_connected = {"from": "alice@example.org", "to": "dave@example.org",
                     "degree": None, "path": None, "strength": 0}

    assert json.loads(cli("path", "alice@example.org", "dave@example.org", "--json",
                          "--max-hops", "2").stdout) == not_connected
    assert json.loads(cli("path", "alice@example.org", "dave@example.org", "--json",
                          "--max-hops", "6").stdout)["degree"] == 3
    set_status(engine, carol, "banned")
    assert json.loads(cli("path", "alice@example.org", "dave@example.org", "--json",
                          "--max-hops", "6").stdout) == not_connected


def test_path_says_how_far_it_looked_when_it_finds_no_path(cli, chain, app):
    app.config["TRUSTNET_MAX_DEGREE"] = 2
    result = cli("path", "alice@example.org", "dave@example.org")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "alice@example.org and dave@example.org are further than 2 steps apart.\n")
    found = cli("path", "alice@example.org", "dave@example.org", "--max-hops", "3").stdout
    assert found.splitlines()[-1] == "degree 3, strength 2"


def test_circle_lists_every_active_member_within_the_hops_by_degree_then_email(
        cli, chain, engine):
    alice, bob, carol, dave, erin = chain
    set_status(engine, erin, "suspended")

    result = cli("circle", "alice@example.org", "--hops", "2", "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"member": "alice@example.org", "hops": 2, "members": [
        {"email": "bob@example.org", "degree": 1}, {"email": "carol@example.org", "degree": 2}]}
    assert cli("circle", "alice@example.org").stdout.splitlines() == [
        "1\tbob@example.org", "2\tcarol@example.org", "3\tdave@example.org"]


@pytest.mark.parametrize("arguments", [
    ["path", "nobody@example.org", "alice@example.org", "--json"],
    ["path", "alice@example.org", "nobody@example.org"],
    ["circle", "nobody@example.org", "--json"],
])
def test_an_unknown_email_exits_with_code_2_and_one_line(cli, chain, arguments):
    result = cli(*arguments)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: no member with e-mail nobody@example.org\n"
