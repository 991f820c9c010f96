"""Shared fixtures: real engines for the session (FalkorDB, and Neo4j: see tests/engines.py),
a fresh graph per test on each, a real app on it, and real SMTP capture."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from engines import (
    NEO4J_PASSWORD,
    Backend,
    FalkorDBBackend,
    Neo4jBackend,
    engines_to_test,
    new_graph_name,
)
from factories import PASSWORD
from itsdangerous import TimestampSigner

from graph import jobs, schema
from graph.embedded import EmbeddedServer, ensure_embedded_server
from graph.engine import GraphEngine
from graph.members import Member
from scripts.neo4j.server import Neo4jServer
from scripts.neo4j.server import start as start_neo4j
from trustnet import create_app
from trustnet.links import invitation_link
from trustnet.mail import MAIL_THREAD_NAME
from trustnet.security import sign

CSRF_FIELD = re.compile(r'name="[\w-]*csrf_token"[^>]*value="([^"]+)"')


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "falkordb_only(why): about FalkorDB itself; not run on the other engines")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the other engines' runs of a test marked falkordb_only."""
    other_engines = [item for item in items if item.get_closest_marker("falkordb_only")
                     and getattr(item, "callspec", None)
                     and item.callspec.params.get("backend", "falkordb") != "falkordb"]
    if other_engines:
        config.hook.pytest_deselected(items=other_engines)
        items[:] = [item for item in items if item not in other_engines]


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """A real FalkorDB server, started once for the whole test session."""
    server = ensure_embedded_server(tmp_path_factory.mktemp("falkordb"), query_timeout_ms=10_000)
    yield server
    server.release()


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """A real Neo4j Community server from the project's launcher, started once if asked for."""
    server = start_neo4j(tmp_path_factory.mktemp("neo4j"), password=NEO4J_PASSWORD,
                         heap="2g", pagecache="512m")
    yield server
    server.stop()


@pytest.fixture(scope="session", params=engines_to_test())
def backend(request: pytest.FixtureRequest, graph_server: EmbeddedServer) -> Backend:
    """Each engine of the run in turn: every test that asks for a graph runs on each."""
    if request.param == "neo4j":
        return Neo4jBackend(request.getfixturevalue("neo4j_server"), graph_server)
    return FalkorDBBackend(graph_server)


@pytest.fixture
def graph_name() -> str:
    """A graph of the test's own, so tests never see each other's data."""
    return new_graph_name()


@pytest.fixture
def engine(backend: Backend, graph_name: str) -> Iterator[GraphEngine]:
    """The test's own graph, with the schema, deleted afterwards (the `app` serves it too)."""
    engine = backend.open_engine(graph_name)
    engine.drop_graph()  # type: ignore[attr-defined]  # what a test that died left behind
    schema.bootstrap(engine)
    yield engine
    engine.drop_graph()  # type: ignore[attr-defined]
    engine.close()


class MailCapture:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.connections: list[object] = []  # the SMTP session each message came through
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.original_content))
            self.connections.append(session)
            self.arrived.notify_all()
        return "250 OK"

    def connections_to(self, addresses: set[str]) -> int:
        """How many SMTP connections brought the messages sent to these addresses."""
        return len({id(session) for message, session in zip(self.messages, self.connections,
                                                            strict=True)
                    if message["To"] in addresses})

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Message]:
        """Wait until at least count messages arrived, and return them all."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        return list(self.messages)

    def to(self, address: str) -> list[Message]:
        """Messages sent to address."""
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox() -> Iterator[MailCapture]:
    """Real SMTP capture on a free loopback port."""
    capture = MailCapture()
    controller = Controller(capture, hostname="127.0.0.1", port=_free_port())
    controller.start()
    capture.port = controller.port  # type: ignore[attr-defined]
    yield capture
    controller.stop()


def mail_body(message: Message) -> str:
    """The text of a plain message."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link_in(text: str) -> str:
    """The first http(s) link in a text."""
    found = re.search(r"https?://\S+", text)
    assert found, f"no link in: {text!r}"
    return found.group(0)


def confirmation_path(mailbox: MailCapture, address: str, since: int = 0) -> str:
    """The path of the newest address confirmation link mailed to address, waiting for it
    (it is sent in the background) among the messages after the first `since`."""
    def mailed() -> list[Message]:
        return [m for m in mailbox.messages[since:]
                if m["To"] == address and "/confirm/" in mail_body(m)]

    with mailbox.arrived:
        mailbox.arrived.wait_for(mailed, timeout=5)
    found = mailed()
    assert found, f"no confirmation link mailed to {address}"
    return path_of(link_in(mail_body(found[-1])))


@pytest.fixture
def app_config(backend: Backend, graph_name: str, mailbox: MailCapture, tmp_path: Path) -> dict:
    """Configuration of a test app: its own graph, real SMTP capture, fast defaults."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + graph_name,
        **backend.app_settings(graph_name),
        "TRUSTNET_SMTP_HOST": "127.0.0.1",
        "TRUSTNET_SMTP_PORT": mailbox.port,  # type: ignore[attr-defined]
        "TRUSTNET_OUTBOX_DIR": str(tmp_path / "outbox"),
        "TRUSTNET_SECURE_COOKIES": False,
        "TRUSTNET_BASE_URL": "http://localhost",
    }


@pytest.fixture
def app(app_config: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A real app on the test's graph."""
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config)
    yield app
    # A job still finishing (its mail, its last read) and mail still on its way, before the
    # engine's client and the mail server stop under them.
    for thread in threading.enumerate():
        if thread.name.startswith(jobs.THREAD_NAME_PREFIX):
            thread.join(timeout=60)
    for thread in threading.enumerate():
        if thread.name == MAIL_THREAD_NAME:
            thread.join(timeout=10)
    services = app.extensions["trustnet"]
    services.connection.engine.drop_graph()
    services.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    found = CSRF_FIELD.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def post_form(client, url: str, data: dict, page: str | None = None, **kwargs):
    """GET the page holding the form (url unless page is given), then POST it with its token."""
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token(html)}, **kwargs)


@pytest.fixture
def browser(app):
    """Make a fresh browser (test client), signed in as `member` when one is given."""

    def make(member: Member | None = None):
        fresh = app.test_client()
        return login_as(fresh, member) if member is not None else fresh

    return make


@pytest.fixture
def cli(runner, monkeypatch: pytest.MonkeyPatch):
    """Run `trustnet ARGS...` (trustnet.cli.main) against the test's app."""
    from trustnet.cli import main

    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; undone after the test

    def invoke(*args: str):
        return runner.invoke(main, list(args))

    return invoke


def without_csrf(html: str) -> str:
    """The page with its CSRF token values blanked, to compare two answers."""
    return CSRF_FIELD.sub(lambda found: found.group(0).replace(found.group(1), ""), html)


def sign_in(client, email: str, password: str = PASSWORD, **kwargs):
    """Sign in through the real form (argon2 verify, ~0.15 s); kwargs go to the POST."""
    data = {"email": email, "password": password}
    if kwargs.pop("remember", False):
        data["remember"] = "y"
    return post_form(client, "/login", data, **kwargs)


def login_as(client, member: Member):
    """Sign client in as member by writing Flask-Login's session keys: no password to hash.

    For tests where signing in is not the subject; the user loader still checks the
    member and their session version on every request.
    """
    with client.session_transaction() as session:
        session["_user_id"] = f"{member.id}:{member.session_version}"
        session["_fresh"] = True
    return client


def path_of(url: str) -> str:
    """The path (and query) of an absolute link, to request it from a test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def join_path(app, secret: str) -> str:
    """The path of the invitation link of an invitation secret, as the app would mail it."""
    with app.test_request_context():
        return path_of(invitation_link(secret))


def text(response) -> str:
    """The body of a response as text."""
    return response.get_data(as_text=True)


def signed_token(app, purpose: str, payload, seconds_ago: float = 0) -> str:
    """A genuine token of the app signed seconds_ago (the signer's clock moved for this call)."""
    with app.test_request_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp",
                      lambda self: int(time.time() - seconds_ago))
        return sign(purpose, payload)
