"""The data of the drawn networks: /network.json (a member's own circle, up to the 2nd
degree, sign-in required) and /admin/members/<id>/network.json (chain, sponsees, and who
a ban would suspend)."""

from __future__ import annotations

import time

from conftest import login_as
from factories import founder, reload, sponsored

from graph import roles


def test_my_network_json_needs_a_signed_in_member(client):
    response = client.get("/network.json")
    assert response.status_code in (302, 401)
    assert not response.is_json


def test_my_network_json_holds_my_circle_up_to_the_second_degree_only(engine, client):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    dan = sponsored(engine, carol, "Dan")  # 3 steps from Bob: not drawn
    login_as(client, bob)
    data = client.get("/network.json").get_json()
    assert {(node["id"], node["degree"]) for node in data["nodes"]} == {
        (bob.id, 0), (alice.id, 1), (carol.id, 2)}
    assert dan.id not in {node["id"] for node in data["nodes"]}
    assert {(edge["source"], edge["target"]) for edge in data["edges"]} == {
        (alice.id, bob.id), (alice.id, carol.id)}
    assert "email" not in str(data) and "@" not in str(data)


def test_the_admin_member_json_marks_whom_a_ban_would_suspend(engine, client):
    alice = founder(engine, "Alice")
    roles.set_admin(engine, None, alice.id, True)
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    alice = reload(engine, alice)
    login_as(client, alice)
    with client.session_transaction() as session:
        session["signed_in_at"] = time.time()  # the admin pages need a recent sign-in
    data = client.get(f"/admin/members/{bob.id}/network.json").get_json()
    marks = {node["id"]: node["mark"] for node in data["nodes"]}
    assert marks == {alice.id: "", bob.id: "subject", carol.id: "suspended"}
    assert data["roots"] == [alice.id] and data["layout"] == "tree"
    assert len(data["edges"]) == 2


def test_the_admin_member_json_is_for_admins_only(engine, client):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    login_as(client, bob)
    response = client.get(f"/admin/members/{alice.id}/network.json")
    assert response.status_code in (302, 403, 404)
