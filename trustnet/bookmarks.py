"""Read-your-own-writes across workers, on an engine with bookmarks (Neo4j).

After a request that wrote, the member's session keeps the bookmarks of those writes; the
member's next request, whichever gunicorn worker serves it, hands them to the engine, whose
transactions then wait until the server (a cluster follower too) has those writes. On
FalkorDB with replicas (graph.replicated_engine) a bookmark is the primary's replication
offset after the write: the member's reads go to a replica that has reached it, or to the
primary. A single FalkorDB server serves every read and write: nothing is needed there.
"""

from __future__ import annotations

from flask import Flask, Response, session

from trustnet.services import graph_engine

SESSION_KEY = "bookmarks"


def init_bookmarks(app: Flask) -> None:
    """Carry the engine's bookmarks in the session, if the engine has any."""
    if not hasattr(app.extensions["trustnet"].connection.engine, "carry_bookmarks"):
        return

    @app.before_request
    def carry_bookmarks() -> None:
        graph_engine().carry_bookmarks(session.get(SESSION_KEY, ()))  # type: ignore[attr-defined]

    @app.after_request
    def keep_bookmarks(response: Response) -> Response:
        written = list(graph_engine().written_bookmarks())  # type: ignore[attr-defined]
        if written:
            session[SESSION_KEY] = written
        return response

    @app.teardown_request
    def drop_bookmarks(error: BaseException | None) -> None:
        """The thread serves other requests (or, under a test, other code) next."""
        graph_engine().carry_bookmarks(())  # type: ignore[attr-defined]
