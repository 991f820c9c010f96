"""`trustnet import FILE`: a community comes in whole, or not at all, and can claim its accounts."""

from __future__ import annotations

import json

import pytest
from conftest import link_in, mail_body, path_of, post_form, sign_in, text
from factories import count_nodes, count_sponsorships, founder

from graph import members


def member(email: str, name: str, founder: bool = False) -> str:
    return json.dumps({"type": "member", "email": email, "name": name, "founder": founder})


def sponsorship(sponsor: str, sponsee: str) -> str:
    return json.dumps({"type": "sponsorship", "sponsor": sponsor, "sponsee": sponsee})


COMMUNITY = [
    member("alice@example.org", "Alice", founder=True),
    member("bob@example.org", "Bob"),
    sponsorship("bob@example.org", "carol@example.org"),
    member("carol@example.org", "Carol"),
    sponsorship("alice@example.org", "bob@example.org"),
    sponsorship("alice@example.org", "carol@example.org"),
    member("erin@example.org", "Erin", founder=True),
    member("Dave@Example.org", "Dave"),
    sponsorship("erin@example.org", "dave@example.org"),
]


def write(tmp_path, lines: list[str]) -> str:
    path = tmp_path / "community.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_community_is_imported_active_and_a_second_run_changes_nothing(cli, engine,
                                                                         tmp_path):
    path = write(tmp_path, COMMUNITY)

    first = cli("import", path)

    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("5 members in file, 5 new; 4 sponsorships.")
    imported = [members.find_member_by_email(engine, f"{name}@example.org")
                for name in ("alice", "bob", "carol", "dave", "erin")]
    assert [(m.name, m.status, m.founder) for m in imported] == [
        ("Alice", "active", True), ("Bob", "active", False), ("Carol", "active", False),
        ("Dave", "active", False), ("Erin", "active", True)]
    counts = (count_nodes(engine), count_sponsorships(engine))
    assert counts == (5, 4)

    second = cli("import", path)

    assert second.exit_code == 0, second.stderr
    assert second.stdout.startswith("5 members in file, 0 new; 4 sponsorships.")
    assert (count_nodes(engine), count_sponsorships(engine)) == counts


def test_an_imported_member_claims_their_account_with_forgot_password(
        app, cli, engine, mailbox, tmp_path):
    assert cli("import", write(tmp_path, COMMUNITY)).exit_code == 0
    browser = app.test_client()

    post_form(browser, "/forgot", {"email": "carol@example.org"})
    link = path_of(link_in(mail_body(mailbox.wait_for(1)[0])))
    response = post_form(browser, link, {"password": "carol's own password",
                                         "confirm": "carol's own password"})

    assert response.status_code == 302
    assert sign_in(browser, "carol@example.org", "carol's own password").status_code == 302
    network = text(browser.get("/network"))
    assert "Alice" in network and "Bob" in network and "imported" in network


BAD_FILES = {  # name: (lines, [(line number, message)])
    "invalid JSON": (
        [*COMMUNITY[:2], '{"type": "member", "email": ', *COMMUNITY[2:]],
        [(3, "not valid JSON (Expecting value)")]),
    "blank name": (
        [*COMMUNITY, member("frank@example.org", "  ")],
        [(10, "name is required")]),
    "unknown sponsor": (
        [*COMMUNITY, sponsorship("zed@example.org", "bob@example.org")],
        [(10, "sponsor zed@example.org is neither in the file nor a member")]),
    "no chain to a founder": (
        [*COMMUNITY, member("orphan@example.org", "Orphan"),
         member("friend@example.org", "Friend"),
         sponsorship("orphan@example.org", "friend@example.org")],
        [(10, "orphan@example.org is not a founder and no sponsor chain links them to one"),
         (11, "friend@example.org is not a founder and no sponsor chain links them to one")]),
    "several errors": (
        ["not json", *COMMUNITY, json.dumps({"type": "member", "email": "x@example.org"}),
         sponsorship("carol@example.org", "nobody@example.org")],
        [(1, "not valid JSON (Expecting value)"), (11, "name is required"),
         (12, "sponsee nobody@example.org is neither in the file nor a member")]),
}


@pytest.mark.parametrize(("lines", "errors"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_exits_2_listing_its_errors_by_line_and_writes_nothing(
        cli, engine, tmp_path, lines, errors):
    founder(engine, "Zoe")
    before = count_nodes(engine)
    path = write(tmp_path, lines)

    result = cli("import", path)

    assert result.exit_code == 2
    reported = [line for line in result.stderr.splitlines() if line.startswith(path)]
    assert reported == [f"{path}:{number}: {message}" for number, message in errors]
    assert result.stderr.splitlines()[-1] == (
        f"error: {len(errors)} error(s) in {path}; nothing was imported")
    assert count_nodes(engine) == before


def test_a_file_may_hang_new_members_under_an_existing_member(cli, engine, tmp_path):
    zoe = founder(engine, "Zoe")

    result = cli("import", write(tmp_path, [member("yann@example.org", "Yann"),
                                            sponsorship("zoe@example.org", "yann@example.org")]))

    assert result.exit_code == 0, result.stderr
    yann = members.find_member_by_email(engine, "yann@example.org")
    assert count_sponsorships(engine, zoe, yann) == 1


def test_an_import_on_the_embedded_engine_leaves_its_log_a_snapshot(
        app_config, monkeypatch, tmp_path):
    # The app keeps the server running: if it crashed now, its restart would load the
    # import as a snapshot instead of replaying its statements (slow, see graph.embedded).
    from trustnet import create_app
    from trustnet.cli import main

    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")
    app = create_app({**app_config, "TRUSTNET_GRAPH_URL": "",
                      "TRUSTNET_DATA_DIR": str(tmp_path / "data")})  # its own embedded engine
    try:
        result = app.test_cli_runner().invoke(main, ["import", write(tmp_path, COMMUNITY)])

        assert result.exit_code == 0, result.stderr
        statements = (tmp_path / "data" / "appendonlydir").glob("*.incr.aof")
        assert [part.stat().st_size for part in statements] == [0]
        assert members.count_members(app.extensions["trustnet"].connection.engine) == 5
    finally:
        app.extensions["trustnet"].close()


def test_claim_mails_reach_the_members_without_a_password_and_each_link_works_once(
        app, cli, engine, mailbox, tmp_path):
    path = write(tmp_path, COMMUNITY)
    assert cli("import", path).exit_code == 0
    alice = members.find_member_by_email(engine, "alice@example.org")
    members.set_password(engine, alice.id, "an argon2 hash", alice.session_version)
    # Alice set hers: she gets no mail

    result = cli("import", path, "--send-claim-mails", "--mails-per-second", "50")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "4 claim mail(s) sent."
    assert "Sending claim mails: 4/4 (100%)" in result.stderr
    mails = mailbox.wait_for(4)
    assert sorted(mail["To"] for mail in mails) == [
        "bob@example.org", "carol@example.org", "dave@example.org", "erin@example.org"]
    carol = next(mail for mail in mails if mail["To"] == "carol@example.org")
    assert "Your TrustNet account is waiting for you" in carol["Subject"]
    link = path_of(link_in(mail_body(carol)))
    browser = app.test_client()
    set_password = {"password": "carol's own password", "confirm": "carol's own password"}
    assert post_form(browser, link, set_password).status_code == 302
    assert sign_in(browser, "carol@example.org", "carol's own password").status_code == 302
    assert app.test_client().get(link).status_code == 410  # used up

    again = cli("import", path, "--send-claim-mails", "--mails-per-second", "50")

    assert again.stdout.splitlines()[-1] == "3 claim mail(s) sent."  # Carol claimed hers
