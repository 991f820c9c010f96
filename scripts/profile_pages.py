"""Where a page's time goes: the feed page and an offer page of signed-in members.

    python scripts/profile_pages.py [--size 10000] [--seed 7] [--members 8] [--pages 200]

Generates the benchmark's network (scripts/benchlib.py) into an embedded FalkorDB in a
temporary folder, builds the real app on it (`create_app`, production settings but plain
HTTP), signs members in through the login form with Flask's test client, then requests `/`
and `/offers/<id>` (an offer of each member's feed) in turn and reports, per page:

- timers around the steps of a request (wall time, p50 and share): the session cookie read
  and written, the user loader (its statement apart), the page's own statements, the view's
  Python around them, Jinja rendering, the app's before/after/teardown hooks (CSRF, headers,
  mail, ...), and the rest (Werkzeug, Flask's dispatch, the test client);
- an A/B of the Python cuts of the fourth round: the code of before and of now, requested
  in turn (A, B, A, B, ...) by the same members;
- a cProfile of the same pages (this process's CPU time, so the engine's own time is not
  in it), its own time grouped by package (jinja2 and the templates,
  babel and gettext, flask, werkzeug, the engine client, ...), to see inside those steps.

Absolute times on a shared machine are noisy: read the shares.
"""

from __future__ import annotations

import atexit
import cProfile
import functools
import os
import pstats
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402
import flask.templating  # noqa: E402
from babel.support import NullTranslations, Translations  # noqa: E402
from benchmark import PASSWORD  # noqa: E402
from flask import Flask  # noqa: E402
from flask.sessions import SecureCookieSessionInterface  # noqa: E402
from flask_babel import format_date, get_locale, get_translations  # noqa: E402

from graph import members, offers  # noqa: E402
from trustnet import create_app, i18n  # noqa: E402
from trustnet.member import feed_filters  # noqa: E402
from trustnet.security import hash_password  # noqa: E402

HOPS = 3
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# cProfile's own time, grouped: the first pattern found in a function's file names its group.
GROUPS = (
    ("templates (compiled)", "/templates/"), ("jinja2", "/jinja2/"),
    ("babel, flask_babel (formatting, locale)", "/babel/"),
    ("babel, flask_babel (formatting, locale)", "/flask_babel/"),
    ("trustnet.i18n (gettext)", "trustnet/i18n.py"), ("gettext (stdlib)", "/gettext.py"),
    ("engine client (redis, hiredis, falkordb)", "/redis/"),
    ("engine client (redis, hiredis, falkordb)", "/falkordb/"),
    ("engine client (redis, hiredis, falkordb)", "graph/falkordb_engine.py"),
    ("graph/ (statements, rows)", "/graph/"), ("flask_wtf, wtforms (forms, CSRF)", "/flask_wtf/"),
    ("flask_wtf, wtforms (forms, CSRF)", "/wtforms/"), ("flask_login", "/flask_login/"),
    ("itsdangerous (session cookie)", "/itsdangerous/"), ("werkzeug", "/werkzeug/"),
    ("flask", "/flask/"), ("trustnet/ (views, hooks)", "/trustnet/"),
    ("markupsafe", "markupsafe"),
)


class Timers:
    """Wall time per step of the current request, each step's own: the time of the steps
    nested in it (a statement inside the user loader) is theirs, so the steps add up."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.stack: list[list] = []  # [step, started, time of nested steps]
        self.requests: list[dict[str, float]] = []

    def wrap(self, step: str | Callable[[list[str]], str], function: Callable) -> Callable:
        """`function` timed as `step`, or as the step that `step` names from the steps it
        runs in."""
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            name = step if isinstance(step, str) else step([s[0] for s in self.stack])
            self.stack.append([name, time.perf_counter(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                name, started, nested = self.stack.pop()
                elapsed = (time.perf_counter() - started) * 1000
                self.current[name] += elapsed - nested
                if self.stack:
                    self.stack[-1][2] += elapsed
        return timed

    @contextmanager
    def request(self) -> Iterator[None]:
        self.current = defaultdict(float)
        started = time.perf_counter()
        yield
        total = (time.perf_counter() - started) * 1000
        self.current["rest (Werkzeug, Flask, the test client)"] = \
            total - sum(self.current.values())
        self.current["total"] = total
        self.requests.append(dict(self.current))


def statement_step(running: list[str]) -> str:
    """Which statement a read is: the user loader's, or the page's."""
    return "statement: user loader's" if "user loader" in running else "statement: page's"


def instrument(app: Flask, timers: Timers) -> None:
    """Put timers around the steps of a request (see the module docstring)."""
    engine = app.extensions["trustnet"].connection.engine
    engine.read = timers.wrap(statement_step, engine.read)
    interface = SecureCookieSessionInterface
    interface.open_session = timers.wrap("session cookie", interface.open_session)  # type: ignore[method-assign]
    interface.save_session = timers.wrap("session cookie", interface.save_session)  # type: ignore[method-assign]
    manager = app.login_manager  # type: ignore[attr-defined]
    manager._user_callback = timers.wrap("user loader", manager._user_callback)
    flask.templating._render = timers.wrap("Jinja rendering", flask.templating._render)
    for hooks, step in ((app.before_request_funcs, "before_request"),
                        (app.after_request_funcs, "after_request"),
                        (app.teardown_request_funcs, "teardown")):
        for functions in hooks.values():
            functions[:] = [timers.wrap(f"{step}: {f.__name__}", f) for f in functions]
    for endpoint in ("member.home", "offers.show"):
        app.view_functions[endpoint] = timers.wrap("view (Python)", app.view_functions[endpoint])


def step_table(requests: list[dict[str, float]]) -> str:
    """p50 and share of the summed time of every step."""
    rows: dict[str, list[float]] = defaultdict(list)
    for times in requests:
        for step, value in times.items():
            rows[step].append(value)
    total = sum(rows.pop("total"))
    lines = ["| step (own time) | p50 ms | share |", "|---|---:|---:|"]
    for step, values in sorted(rows.items(), key=lambda item: -sum(item[1])):
        values += [0.0] * (len(requests) - len(values))
        lines.append(f"| {step} | {benchlib.percentile(values, 0.5):.2f} | "
                     f"{sum(values) / total:.1%} |")
    totals = [times["total"] for times in requests]
    lines.append(f"| total | {benchlib.percentile(totals, 0.5):.2f} | 100% |")
    return "\n".join(lines)


def profile_table(profile: cProfile.Profile, top: int = 12) -> str:
    """cProfile's own time grouped by package, and the functions with most own time."""
    stats = pstats.Stats(profile)
    grouped: dict[str, float] = defaultdict(float)
    functions = []
    for (filename, line, name), (_, calls, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        group = next((label for label, pattern in GROUPS if pattern in filename),
                     "other (stdlib, C)")
        grouped[group] += own
        functions.append((own, calls, f"{Path(filename).name}:{line} {name}"))
    total = sum(grouped.values())
    lines = ["| cProfile: own time of | share |", "|---|---:|"]
    lines += [f"| {group} | {own / total:.1%} |"
              for group, own in sorted(grouped.items(), key=lambda item: -item[1])]
    lines += ["", "| function | calls | own share |", "|---|---:|---:|"]
    lines += [f"| {where} | {calls} | {own / total:.1%} |"
              for own, calls, where in sorted(functions, reverse=True)[:top]]
    return "\n".join(lines)


def catalog_by_locale() -> Translations | NullTranslations:
    """trustnet.i18n.translations before the fourth round: a dict look-up by the Locale
    (hashed and compared attribute by attribute) for every string."""
    locale = get_locale()
    catalog = i18n._catalogs.get(locale)
    if catalog is None:
        catalog = i18n._catalogs[locale] = get_translations()
    return catalog


def date_by_flask_babel(timestamp: float) -> str:
    """trustnet.i18n.format_timestamp_date before the fourth round: Flask-Babel's
    format_date on every card."""
    return str(format_date(datetime.fromtimestamp(timestamp, UTC)))


def ab_pages(app: Flask, clients: list, urls: list[str], rounds: int) -> str:
    """The page with the Python of before the fourth round (A), then with each of its cuts
    added (B, C, D: as it is now), requested A, B, C, D, A, ... by the same members: this
    thread's CPU time per request (the Python side: waiting for the engine is not in it)."""
    now = {"translations": i18n.translations, "date": app.jinja_env.filters["date"],
           "filters reused": True}
    variants = {
        "A: before": {"translations": catalog_by_locale, "date": date_by_flask_babel,
                      "filters reused": False},
        "B: catalog by identity": {**now, "date": date_by_flask_babel,
                                   "filters reused": False},
        "C: and dates memoised": {**now, "filters reused": False},
        "D: and the filter form reused (now)": now,
    }

    def request(code: dict, i: int) -> float:
        i18n.translations = code["translations"]
        app.jinja_env.filters["date"] = code["date"]
        if not code["filters reused"]:
            app.extensions.pop(feed_filters._CACHE_KEY, None)
        started = time.thread_time()
        clients[i % len(clients)].get(urls[i % len(urls)])
        return (time.thread_time() - started) * 1000

    times: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for i in range(rounds):
            for name, code in variants.items():
                times[name].append(request(code, i))
    finally:
        i18n.translations = now["translations"]
        app.jinja_env.filters["date"] = now["date"]
    lines = ["| variant (interleaved) | requests | CPU p50 ms | p90 ms | mean ms |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {len(values)} | {benchlib.percentile(values, 0.5):.2f} | "
              f"{benchlib.percentile(values, 0.9):.2f} | {sum(values) / len(values):.2f} |"
              for name, values in times.items()]
    return "\n".join(lines)


def signed_in_clients(app: Flask, emails: list[str]) -> list:
    """A test client per member, signed in through the login form."""
    clients = []
    for email in emails:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = CSRF.search(page)
        response = client.post("/login", data={"email": email, "password": PASSWORD,
                                               "csrf_token": token.group(1) if token else ""})
        if response.status_code != 302:
            raise SystemExit(f"sign-in of {email} failed: {response.status_code}")
        clients.append(client)
    return clients


def main(argv: list[str] | None = None) -> None:
    parser = benchlib.network_parser(__doc__, 10_000)
    parser.add_argument("--members", type=int, default=8, help="members signed in")
    parser.add_argument("--pages", type=int, default=200, help="requests per page and way")
    args = parser.parse_args(argv)
    with benchlib.embedded_graph(args.size, args.seed) as (connection, ids, folder):
        numbers = random.Random(args.seed).sample(sorted(ids), args.members)
        password_hash = hash_password(PASSWORD)
        for n in numbers:
            members.set_password(connection.engine, ids[n], password_hash, 1)
        os.environ["TRUSTNET_INSTANCE_PATH"] = str(folder / "instance")
        app = create_app({
            "SECRET_KEY": "profile-secret", "TRUSTNET_GRAPH_NAME": "bench",
            "TRUSTNET_DATA_DIR": str(folder / "graph"), "TRUSTNET_SECURE_COOKIES": False,
            "TRUSTNET_BASE_URL": "http://localhost", "TRUSTNET_LOGIN_LIMIT_IP": 100_000})
        services = app.extensions["trustnet"]
        try:
            clients = signed_in_clients(app, [benchlib.EMAIL(n) for n in numbers])
            paths = {"feed page /": ["/"] * len(numbers),
                     "offer page /offers/<id>": [
                         f"/offers/{offers.feed(connection.engine, ids[n], HOPS).items[0].offer.id}"
                         for n in numbers]}
            report(app, clients, paths, args.pages)
        finally:
            services.close()  # before the folder goes: the app's hold on the engine
            atexit.unregister(services.close)

def report(app: Flask, clients: list, paths: dict[str, list[str]], pages: int) -> None:
    """Time, then profile, each page; print the tables."""
    timers = Timers()
    instrument(app, timers)
    for label, urls in paths.items():
        for client, url in zip(clients, urls, strict=True):  # warm: templates compiled
            client.get(url)
        timers.requests.clear()
        for i in range(pages):
            with timers.request():
                response = clients[i % len(clients)].get(urls[i % len(urls)])
            assert response.status_code == 200, (label, response.status_code)
        profile = cProfile.Profile(time.process_time)  # this process's CPU: the Python side
        profile.enable()
        for i in range(pages):
            clients[i % len(clients)].get(urls[i % len(urls)])
        profile.disable()
        print(f"## {label}: {pages} requests, load average {os.getloadavg()[0]:.2f}\n")
        print(step_table(timers.requests), "\n")
        print(profile_table(profile), "\n")
        print(ab_pages(app, clients, urls, pages), "\n")


if __name__ == "__main__":
    main()
