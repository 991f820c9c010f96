"""TrustNet: an invitation-only trust network (the web app)."""

from __future__ import annotations

import atexit
import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from graph import members, schema
from graph.connect import open_graph
from graph.offers import link_whole_network_offers, make_offers_searchable
from trustnet.bookmarks import init_bookmarks
from trustnet.config import load_config, plus_apart_domains, trusted_hosts
from trustnet.errors import register_error_handlers
from trustnet.headers import add_security_headers
from trustnet.i18n import init_i18n
from trustnet.login import accept_remember_cookie_of_an_old_key, login_manager
from trustnet.mail import start_mail_after_request
from trustnet.request_checks import TrustedHostsOnly, refuse_control_characters
from trustnet.services import build_services

ROOT = Path(__file__).resolve().parent.parent


def configured_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The app with its configuration only, no engine opened: for `create_app`, and for
    commands that must not start the engine (`trustnet restore`)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("TRUSTNET_INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, test_config)
    return app


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, graph connection and schema, extensions, blueprints."""
    app = configured_app(test_config)
    config = app.config
    connection = open_graph(
        config["TRUSTNET_GRAPH_URL"] or None,
        graph_name=config["TRUSTNET_GRAPH_NAME"],
        data_dir=Path(config["TRUSTNET_DATA_DIR"]),
        query_timeout_ms=config["TRUSTNET_QUERY_TIMEOUT_MS"],
        min_free_disk_mb=config["TRUSTNET_MIN_FREE_DISK_MB"],
        neo4j_user=config["TRUSTNET_NEO4J_USER"],
        neo4j_password=config["TRUSTNET_NEO4J_PASSWORD"],
    )
    try:
        schema.bootstrap(connection.engine)
        members.rekey_addresses(connection.engine, plus_apart_domains(config))
        make_offers_searchable(connection.engine)
        link_whole_network_offers(connection.engine)
        services = build_services(config, connection)
    except BaseException:
        connection.close()  # release the embedded server we may have started
        raise
    app.extensions["trustnet"] = services
    if not app.testing:
        atexit.register(services.close)

    app.wsgi_app = TrustedHostsOnly(app.wsgi_app, trusted_hosts(config))  # type: ignore[method-assign]
    if config["TRUSTNET_PROXIES"]:  # the client's address, scheme and host from trusted proxies
        proxies = config["TRUSTNET_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies,  # type: ignore[method-assign]
                                x_proto=proxies, x_host=proxies)
    app.before_request(refuse_control_characters)
    CSRFProtect(app)
    init_i18n(app)
    login_manager.init_app(app)
    init_bookmarks(app)
    app.before_request(accept_remember_cookie_of_an_old_key)
    app.after_request(add_security_headers)
    app.teardown_request(start_mail_after_request)
    register_error_handlers(app)

    from trustnet.account.routes import blueprint as account
    from trustnet.admin.routes import blueprint as admin
    from trustnet.auth.routes import blueprint as auth
    from trustnet.me.routes import blueprint as me
    from trustnet.member.blocks import blueprint as blocks
    from trustnet.member.routes import blueprint as member
    from trustnet.moderation.routes import blueprint as moderation
    from trustnet.offers.routes import blueprint as offers
    from trustnet.photos.routes import blueprint as photos
    from trustnet.places import blueprint as places

    app.register_blueprint(auth)
    app.register_blueprint(member)
    app.register_blueprint(offers)
    app.register_blueprint(admin)
    app.register_blueprint(moderation)
    app.register_blueprint(account)
    app.register_blueprint(me)
    app.register_blueprint(blocks)
    app.register_blueprint(photos)
    app.register_blueprint(places)
    return app
