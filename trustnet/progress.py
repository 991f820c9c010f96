"""Progress of long work (an import, a benchmark) on stderr: a bar on a terminal, one line
per step anywhere else, so that logs and CI show how far it got too."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, TextIO

import click

Report = Callable[[int, int], None]


@contextmanager
def progress(label: str, file: TextIO | None = None) -> Iterator[Report]:
    """Yield report(done, total), to call after each step (a batch written, a run timed).

    Nothing shows before the first step, so work that fails early prints only its errors.
    """
    stream = file or sys.stderr
    if not stream.isatty():

        def line(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            click.echo(f"{label}: {done}/{total} ({percent}%)", file=stream)

        yield line
        return
    with ExitStack() as stack:
        bars: list[Any] = []  # the bar, made at the first step (its length is known then)

        def advance(done: int, total: int) -> None:
            if not bars:
                bars.append(stack.enter_context(click.progressbar(
                    length=max(total, 1), label=label, file=stream,
                    show_pos=True, show_percent=True)))
            bar = bars[0]
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield advance


@contextmanager
def steps(file: TextIO | None = None) -> Iterator[Callable[[str, int, int], None]]:
    """Yield report(step, done, total) for work of several steps: each step shows as
    `progress(step)`, closed when the next one begins. A step reports only when its whole
    percentage moves, so that polling a long step does not flood a log."""
    with ExitStack() as stack:
        current: dict[str, Any] = {}

        def report(step: str, done: int, total: int) -> None:
            if current.get("step") != step:
                stack.close()
                current.update(step=step, percent=None,
                               report=stack.enter_context(progress(step, file)))
            percent = 100 * done // total if total else 100
            if percent != current["percent"]:
                current["percent"] = percent
                current["report"](done, total)

        yield report
