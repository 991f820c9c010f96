"""`trustnet founder create` makes an admin unless told otherwise: the first founder of a new
community must reach the admin pages without a second command."""

from __future__ import annotations

from graph import audit, members


def test_a_founder_is_an_admin_by_default_and_the_grant_is_audited(app, cli, engine):
    result = cli("founder", "create", "alice@example.org", "--name", "Alice")

    assert result.exit_code == 0, result.stderr
    assert "They are an admin: the admin pages are at http://localhost/admin/" in result.stdout
    alice = members.find_member_by_email(engine, "alice@example.org")
    assert alice is not None and alice.admin
    assert [entry.action for entry in audit.entries(engine)] == ["grant_admin"]


def test_no_admin_makes_a_founder_without_the_role(app, cli, engine):
    result = cli("founder", "create", "bob@example.org", "--name", "Bob", "--no-admin")

    assert result.exit_code == 0, result.stderr
    assert "admin" not in result.stdout
    bob = members.find_member_by_email(engine, "bob@example.org")
    assert bob is not None and not bob.admin
