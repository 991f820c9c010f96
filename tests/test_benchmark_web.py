"""The benchmark's web part: the trivial page it measures the feed and offer pages against
(scripts/bench_app.py, issue #16 target 4), served by the product's app without calling the
engine, and the harness's report of the three pages at a tiny size. No timing is asserted."""

import json
import re
from pathlib import Path

import pytest
from conftest import login_as, text
from factories import sponsor_chain
from test_benchmark_smoke import load_benchmark

from scripts.bench_app import HELLO_PATH, create_bench_app
from trustnet.services import graph_engine

pytest.importorskip("networkx")
pytest.importorskip("scipy")


@pytest.fixture
def bench_app(app_config: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The app the harness serves, on the test's graph."""
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_bench_app(app_config)
    yield app
    app.extensions["trustnet"].close()


def engine_calls(app, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements the app's engine runs from now on (the list grows; each still runs)."""
    with app.app_context():
        engine = graph_engine()
    calls: list[str] = []
    for name in ("read", "write"):
        original = getattr(engine, name)

        def counting(query, params=None, _original=original):
            calls.append(query)
            return _original(query, params)

        monkeypatch.setattr(engine, name, counting)
    return calls


def test_the_trivial_page_answers_a_signed_in_member_without_calling_the_engine(
        bench_app, engine, monkeypatch):
    member = sponsor_chain(engine, "You")[0]
    browser = login_as(bench_app.test_client(), member)
    calls = engine_calls(bench_app, monkeypatch)

    hello = browser.get(HELLO_PATH)

    assert hello.status_code == 200 and text(hello) == "hello"
    assert not calls, f"the trivial page called the engine: {calls}"
    # The product's hooks ran: its security headers are there, as on every page.
    assert "default-src" in hello.headers["Content-Security-Policy"]
    assert hello.headers["X-Frame-Options"] == "DENY"
    # The member is still signed in, and a real page loads them (a call, counted).
    feed = browser.get("/")
    assert feed.status_code == 200 and "Sign out" in text(feed)
    assert calls


def test_the_product_has_no_trivial_page(client):
    assert client.get(HELLO_PATH).status_code == 404


def test_the_harness_measures_the_trivial_page_before_the_feed_and_offer_pages(tmp_path):
    benchmark = load_benchmark()
    report, figures = tmp_path / "report.md", tmp_path / "result.json"
    benchmark.main(["--size", "300", "--calls", "5", "--check", "5", "--ban-calls", "1",
                    "--no-postgres", "--no-bulk-loader", "--http-clients", "4",
                    "--http-seconds", "1", "--report", str(report), "--json", str(figures)])

    result = json.loads(figures.read_text())
    assert "http_error" not in result, result["http_error"]
    assert [key.split(" GET ")[0] for key in result["http"]] == [
        "HTTP trivial page", "HTTP feed page", "HTTP offer page"]
    assert all(page["errors"] == 0 and page["per_s"] > 0 for page in result["http"].values())
    hello = result["http"][f"HTTP trivial page GET {HELLO_PATH}|4"]
    target = result["web_target"]
    assert target["ratios"]["feed page"] == pytest.approx(
        result["http"]["HTTP feed page GET /|4"]["per_s"] / hello["per_s"])
    assert set(target["ratios"]) == {"feed page", "offer page"}
    # The p99 condition is the target's at 32 clients only: at 4 it is not met.
    assert target["conditions"][2]["met"] is False
    assert "at 4 clients" in target["conditions"][2]["figure"]
    page = report.read_text()
    assert re.search(rf"\| HTTP trivial page GET {HELLO_PATH} \(\w+[^|]*, 0 errors\) \| 4 \|",
                     page)
    assert re.search(r"Target 4, the web stack .*feed page / trivial page requests/s >= 1/3: "
                     r"[\d.]+, (met|MISSED); offer page / trivial page requests/s >= 1/2: "
                     r"[\d.]+, (met|MISSED); p99 <= 100 ms at 32 keep-alive clients: .*MISSED",
                     page)
