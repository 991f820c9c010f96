"""A GET never changes anything: every page of the URL map, opened by every kind of visitor
with real arguments, leaves the graph exactly as it was (every node, edge and property).

A link can be followed by anyone and anything (a mail scanner, a prefetching browser), so
only a form posted with its CSRF token may change state.
"""

from __future__ import annotations

import pytest
from site_map import dump_graph, pages, signed_in, world


@pytest.mark.parametrize("viewer", ["visitor", "member", "pending newcomer", "admin"])
def test_opening_every_page_changes_nothing_in_the_graph(app, engine, viewer):
    found = world(engine)
    member = {"visitor": None, "member": found.bob, "pending newcomer": found.carol,
              "admin": found.alice}[viewer]
    client = app.test_client()
    if member is not None:
        signed_in(client, member)
    before = dump_graph(engine)

    answers = {}
    for endpoint, path in pages(app, found, "GET"):
        response = client.get(path)
        response.close()  # a static file is streamed from an open file
        answers[path] = response.status_code
        assert response.status_code < 500, f"GET {path} ({endpoint}): {response.status_code}"
        assert dump_graph(engine) == before, f"GET {path} ({endpoint}) changed the graph"

    # The walk saw real pages, not only refusals: each viewer opens pages of their own.
    assert list(answers.values()).count(200) >= 3, answers
