"""A bad part of an address is a 404, on every page: an id that names nothing or does not
parse, an unknown word where the address takes one of a few (an answer, an action, a kind),
a token that is no token. Never a 500, never a 400 or a redirect that hides it: the rule of
trustnet/errors.py. Every rule of the URL map is walked, each of its parts spoiled in turn,
and a POST carries a form its page accepts, so that only the address is wrong."""

from __future__ import annotations

import pytest
from factories import PASSWORD
from site_map import pages, signed_in, world
from werkzeug.routing import Rule

# Values that name nothing: an id of the right shape, words, and what does not parse.
BAD_VALUES = ("0123456789abcdef0123", "bogus", "no such thing", "'\"<>", "..")
# A form every POST of the app accepts, so that the address alone is wrong.
FORM = {"reason": "spam", "text": "Because.", "body": "Hello.", "note": "A note.",
        "decision": "granted", "starred": "1", "exchange": "lent", "rating": "positive",
        "password": PASSWORD, "name": "Someone", "confirm": PASSWORD, "email":
        "someone@example.org", "current": PASSWORD}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": False}  # only the address is under test


def spoiled(app, rule: Rule, path: str, method: str) -> list[tuple[str, str]]:
    """(argument, path) for each argument of rule replaced by each bad value."""
    adapter = app.url_map.bind("localhost")
    _, real = adapter.match(path, method=method)
    found = []
    for name in rule.arguments:
        for value in BAD_VALUES:
            found.append((name, adapter.build(rule.endpoint, {**real, name: value})))
    return found


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_bad_address_part_is_a_404(app, engine, method):
    found = world(engine)
    client = signed_in(app.test_client(), found.alice)  # an admin: every page is hers
    wrong = []
    with app.test_request_context():
        walked = [(endpoint, path) for endpoint, path in pages(app, found, method)
                  if endpoint != "static"]
        rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
        cases = [(endpoint, name, path) for endpoint, real in walked
                 for name, path in spoiled(app, rules[endpoint], real, method)]
    for endpoint, name, path in cases:
        response = client.open(path, method=method, data=FORM if method == "POST" else None)
        if response.status_code != 404:
            wrong.append(f"{method} {path} ({endpoint}, bad <{name}>): "
                         f"{response.status_code}")
    assert cases, "the walk found no address with a part to spoil"
    assert not wrong, "\n".join(wrong)
