"""Every admin endpoint, found by walking the URL map, answers 404 to anonymous visitors and
to members who are not admins, and changes nothing; admins must have signed in recently."""

from __future__ import annotations

import re

import pytest
from admin_fixtures import admin_browser_fixture, admin_fixture  # noqa: F401
from conftest import csrf_token, login_as, sign_in, text
from factories import PASSWORD, founder, reload, sponsored

from graph import abuse_reports, bans, jobs, roles, sanction_appeals

SNAPSHOT_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties"
SNAPSHOT_EDGES = "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b"
REPORT = "MATCH (r:Report) RETURN r.id AS id"
APPEAL = "MATCH (a:Appeal) RETURN a.id AS id"
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def snapshot(engine) -> tuple[list, list]:
    nodes = sorted(repr(sorted(row.items())) for row in engine.read(SNAPSHOT_NODES))
    edges = sorted(repr(sorted(row.items())) for row in engine.read(SNAPSHOT_EDGES))
    return nodes, edges


@pytest.fixture
def world(engine):
    """A founder who is not an admin, members, a ban, a suspension, a report, an appeal, a
    background job."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, carol, "Dave")
    abuse_reports.report(engine, alice.id, "member", bob.id, "spam", "sells things",
                      max_hops=3)
    bans.ban(engine, None, carol.id, "test", strike_threshold=2)  # dave is suspended
    sanction_appeals.file_appeal(engine, carol.id, "let me back")
    return {"alice": alice, "bob": bob, "dave": reload(engine, dave),
            "report_id": engine.read(REPORT)[0]["id"],
            "appeal_id": engine.read(APPEAL)[0]["id"],
            "job_id": jobs.queue_preview(engine, alice.id, bob.id, "spam")}


def admin_urls(app, world) -> list[tuple[str, str]]:
    """(method, path) of every admin rule, its parameters filled with real ids."""
    values = {"member_id": world["bob"].id, "report_id": world["report_id"],
              "appeal_id": world["appeal_id"], "action": "dismiss", "job_id": world["job_id"]}
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        path = PARAMETER.sub(lambda m: values[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


def test_the_walk_finds_the_admin_pages(app, world):
    urls = admin_urls(app, world)
    assert ("GET", "/admin/") in urls and ("POST", f"/admin/members/{world['bob'].id}/ban") in urls
    assert len(urls) >= 15


@pytest.mark.parametrize("who", ["anonymous", "member", "suspended member", "suspended admin"])
def test_every_admin_endpoint_refuses_non_admins_and_changes_nothing(app, engine, world, who):
    client = app.test_client()
    if who == "member":
        sign_in(client, "alice@example.org")  # a founder, but not an admin
    elif who.startswith("suspended"):
        if who == "suspended admin":  # the role stays while suspended; its pages do not
            roles.set_admin(engine, None, world["dave"].id, True)
        login_as(client, reload(engine, world["dave"]))
    token = csrf_token(text(client.get("/login" if who == "anonymous" else "/suspended"
                                       if who.startswith("suspended") else "/settings")))
    before = snapshot(engine)
    for method, path in admin_urls(app, world):
        data = {"csrf_token": token, "reason": "x", "decision": "granted", "note": "x",
                "password": PASSWORD}
        response = client.open(path, method=method, data=data if method == "POST" else None)
        assert response.status_code == 404, (who, method, path)
    assert snapshot(engine) == before


def test_admins_must_have_signed_in_recently(app, engine, admin, admin_browser):
    stale = admin_browser(admin, minutes_ago=31)
    response = stale.get("/admin/members")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/reauthenticate")
    page = stale.get(response.headers["Location"])
    wrong = stale.post(response.headers["Location"],
                       data={"csrf_token": csrf_token(text(page)), "password": "nope"})
    assert "This is not your password" in text(wrong)
    right = stale.post(response.headers["Location"],
                       data={"csrf_token": csrf_token(text(page)), "password": PASSWORD})
    assert right.headers["Location"].rstrip("?") == "/admin/members"
    assert stale.get("/admin/members").status_code == 200


def test_signing_in_counts_as_recent(app, admin):
    client = app.test_client()
    sign_in(client, "alice@example.org")
    assert client.get("/admin/").status_code == 200
    assert "/admin/" in text(client.get("/settings"))  # the navigation offers the admin pages
