"""Running calls at the same instant, each on its own connection, as concurrent requests do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from graph.errors import DomainError


def all_at_once(backend, graph_name: str, calls: list[Callable]) -> list:
    """Run each call(engine) in its own thread and connection, released together.

    Returns what each call returned, or the DomainError it raised.
    """
    barrier = threading.Barrier(len(calls))

    def run(call: Callable):
        engine = backend.open_engine(graph_name)
        try:
            barrier.wait()
            return call(engine)
        except DomainError as error:
            return error
        finally:
            engine.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))
