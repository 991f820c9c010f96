"""CSRF on every form: every POST rule of the URL map, found by walking it (not a hand-picked
list, so that a blueprint exempted as a whole is caught), refuses a post without its token
with the "Form expired" page, from a signed-in admin (who may do the most) as from anyone,
and changes nothing in the graph."""

from __future__ import annotations

import pytest
from site_map import dump_graph, pages, signed_in, world


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("viewer", ["visitor", "admin"])
def test_every_post_without_its_token_is_refused_and_changes_nothing(app, engine, viewer):
    found = world(engine)
    client = app.test_client()
    if viewer == "admin":
        signed_in(client, found.alice)
    before = dump_graph(engine)
    posts = pages(app, found, "POST")
    assert len(posts) >= 20  # the walk found the forms

    for endpoint, path in posts:
        response = client.post(path, data={"reason": "no token", "email": "x@example.org"})
        assert response.status_code == 400, f"POST {path} ({endpoint}) took no token"
        assert "Form expired" in response.get_data(as_text=True), endpoint
        assert dump_graph(engine) == before, f"POST {path} ({endpoint}) changed the graph"
