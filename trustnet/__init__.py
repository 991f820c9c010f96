"""TrustNet: an invitation-only trust network (the web app)."""

from __future__ import annotations

import atexit
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_babel import Babel, format_date, get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

from graph import schema
from graph.connect import open_graph
from trustnet.config import load_config
from trustnet.errors import register_error_handlers
from trustnet.headers import add_security_headers
from trustnet.login import login_manager
from trustnet.services import Services, build_throttle

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "fr")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, graph connection and schema, extensions, blueprints."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("TRUSTNET_INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, test_config)
    config = app.config
    connection = open_graph(
        config["TRUSTNET_GRAPH_URL"] or None,
        graph_name=config["TRUSTNET_GRAPH_NAME"],
        data_dir=Path(config["TRUSTNET_DATA_DIR"]),
        query_timeout_ms=config["TRUSTNET_QUERY_TIMEOUT_MS"],
        neo4j_user=config["TRUSTNET_NEO4J_USER"],
        neo4j_password=config["TRUSTNET_NEO4J_PASSWORD"],
    )
    schema.bootstrap(connection.engine)
    app.extensions["trustnet"] = Services(connection, build_throttle(config, connection))
    if not app.testing:
        atexit.register(connection.close)

    CSRFProtect(app)
    Babel(app, locale_selector=select_locale)
    login_manager.init_app(app)
    app.after_request(add_security_headers)
    register_error_handlers(app)

    app.jinja_env.filters["date"] = format_timestamp_date

    @app.context_processor
    def shell_context() -> dict[str, Any]:
        return {"current_locale": str(get_locale() or "en")}

    from trustnet.auth.routes import blueprint as auth
    from trustnet.member.routes import blueprint as member

    app.register_blueprint(auth)
    app.register_blueprint(member)
    return app


def format_timestamp_date(timestamp: float) -> str:
    """A stored epoch time as a date in the reader's language."""
    return format_date(datetime.fromtimestamp(timestamp, UTC))


def select_locale() -> str | None:
    """The member's chosen language, else the browser's best match."""
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    return request.accept_languages.best_match(LANGUAGES, default="en")
