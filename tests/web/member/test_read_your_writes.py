"""A member reads their own writes on their next page, whichever worker serves it: on Neo4j
the session carries the bookmarks of the member's last write (trustnet.bookmarks), so that
another worker's transactions wait for it, on a cluster follower too."""

from __future__ import annotations

from conftest import post_form, text
from factories import founder
from site_map import signed_in

from trustnet import create_app

OFFER = {"title": "A tent for two", "category": "tools", "description": "With its pegs.",
         "area": "Lyon", "price": "", "visibility": "0"}


def test_the_next_page_on_another_worker_shows_what_the_member_just_wrote(
        app, app_config, backend, engine, tmp_path, monkeypatch):
    alice = founder(engine)
    first_worker = signed_in(app.test_client(), alice)
    assert post_form(first_worker, "/offers/new", OFFER).status_code == 302
    with first_worker.session_transaction() as session:
        carried = session.get("bookmarks")
        cookie = dict(session)
    assert bool(carried) == (backend.name == "neo4j")

    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "second"))
    second = create_app(app_config)  # another worker: its own driver and bookmark manager
    try:
        other_worker = second.test_client()
        with other_worker.session_transaction() as session:
            session.update(cookie)
        assert "A tent for two" in text(other_worker.get("/offers/mine"))
    finally:
        second.extensions["trustnet"].close()
