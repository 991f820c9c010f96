"""The product's app plus one benchmark-only page, served by scripts/benchmark.py's web part.

    gunicorn --pythonpath scripts 'bench_app:create_bench_app()'

The trivial page ("hello", no engine call) is the floor the feed and offer pages are
measured against (issue #16, target 4): the same app factory, middleware, session, CSRF,
hooks and headers, under the same gunicorn configuration, minus the page's own work. It is
registered here, on the app the harness serves, so the product has no such route.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, g

from trustnet import create_app

HELLO_PATH = "/bench/hello"

blueprint = Blueprint("bench", __name__)


@blueprint.get(HELLO_PATH)
def hello() -> str:
    """Answer "hello" without calling the engine.

    The benchmark's clients send their members' session cookies here too, so the session is
    read as on every page; but a signed-in page loads its member (one engine call, the user
    loader's statement) as soon as a hook asks who is signed in, and the security headers do.
    The request is therefore taken as a visitor's before the hooks run: that call is part of
    what the real pages cost, not of the stack's floor.
    """
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    return "hello"


def create_bench_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the product's app (trustnet.create_app) and add the trivial page."""
    app = create_app(test_config)
    app.register_blueprint(blueprint)
    return app
