"""The benchmark harness at a tiny size: it runs end to end, the engine's answers and
PostgreSQL's agree with the in-memory peers', and the report is written. No timing is
asserted."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from engines import NEO4J_PASSWORD, engines_to_test

from graph.neo4j_engine import Neo4jEngine

pytest.importorskip("networkx")
pytest.importorskip("scipy")

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def load_benchmark():
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location("benchmark", SCRIPTS / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_and_peers_agree(tmp_path):
    benchmark = load_benchmark()
    report = tmp_path / "report.md"
    result = benchmark.main(["--size", "2000", "--calls", "20", "--check", "20",
                             "--ban-calls", "2", "--no-http", "--largest-ban",
                             "--report", str(report)])
    assert result["checks"]["agree"], result["checks"]
    assert result["checks"]["feed"] == 20 and result["checks"]["path"] == 40
    assert result["load_s"] > 0
    text = report.read_text()
    for operation in ("feed, ordinary members", "feed, hubs", "feed within 10 km, ordinary",
                      "feed within 10 km, hubs", "path + strength, random pair",
                      "ban preview", "invitation + redemption", "networkx peer", "CSR peer",
                      "circle, ordinary members"):
        assert operation in text
    # PostgreSQL answered the same questions, and its answers were checked.
    postgres = result["checks"]["postgres"]
    assert not postgres["mismatch"], postgres
    assert (postgres["feed"], postgres["path"], postgres["circle"]) == (20, 40, 20)
    assert postgres["ban"] > 0 and postgres["suspended"] > 0  # previews that suspend someone
    for operation in ("feed, ordinary members", "feed, hubs", "path + strength, random pair",
                      "path + strength, connected pair", "circle, ordinary members",
                      "ban preview"):
        assert re.search(rf"\| {re.escape(operation)}[^|]* \(PostgreSQL peer\) \| 1 \|", text), \
            operation
    assert "PostgreSQL's answers checked" in text and "all agree" in text
    # The member with the largest subtree was banned last, its cascade run as a background
    # job to its end: the members it suspended are those the preview and PostgreSQL named.
    largest = result["largest_ban"]
    assert largest["job_status"] == "done" and largest["suspended"] > 0, largest
    assert largest["cascade_agrees"] and largest["postgres_agrees"], largest
    assert re.search(r"The largest subtree \(target 3\): .* members below, .* suspended by a "
                     r"ban\. Preview [\d.]+ s \(PostgreSQL's preview [\d.]+ s, same members\); "
                     r"ban: the member cut in [\d.]+ s, the cascade \(background job\) in "
                     r"[\d.]+ s, job done, as previewed\.", text)
    # FalkorDB's bulk loader loaded the same community beside the import, and agrees with it.
    bulk = result["bulk_loader"]
    assert bulk["load_s"] > 0 and bulk["checked"] == 20 and not bulk["mismatch"], bulk
    assert re.search(r"Load: trustnet import [\d.]+ s .*bulk loader [\d.]+ s .*ratio [\d.]+x; "
                     r"the graphs agree .*: yes", text)


def test_the_benchmark_runs_on_neo4j_and_compares_the_engines(
        neo4j_server, tmp_path, monkeypatch, capsys):
    if "neo4j" not in engines_to_test():
        pytest.skip("Neo4j is not among TRUSTNET_TEST_ENGINES")
    benchmark = load_benchmark()
    monkeypatch.setenv("TRUSTNET_NEO4J_PASSWORD", NEO4J_PASSWORD)
    database = Neo4jEngine.from_url(neo4j_server.uri, "neo4j", NEO4J_PASSWORD, None)
    database.drop_graph()  # the harness wants an empty database
    tiny = ["--size", "2000", "--calls", "20", "--check", "20", "--ban-calls", "2", "--no-http",
            "--no-postgres"]
    try:
        on_neo4j = benchmark.main([*tiny, "--graph-url", neo4j_server.uri,
                                   "--json", str(tmp_path / "neo4j.json")])
    finally:
        database.drop_graph()
        database.close()
    benchmark.main([*tiny, "--json", str(tmp_path / "falkordb.json")])
    capsys.readouterr()

    benchmark.main(["--compare", str(tmp_path / "falkordb.json"), str(tmp_path / "neo4j.json")])

    assert on_neo4j["engine"] == "neo4j" and on_neo4j["checks"]["agree"], on_neo4j["checks"]
    table = capsys.readouterr().out
    assert "| falkordb p50 / p95 / p99 ms |" in table and "p99 neo4j / falkordb" in table
    for operation in ("feed, ordinary members", "path + strength, random pair", "ban preview"):
        assert f"| {operation} | 1 |" in table


def test_the_benchmark_fails_when_postgresql_answers_otherwise(monkeypatch, tmp_path):
    benchmark = load_benchmark()
    loaded = benchmark.postgres_peer.load

    def load_without_offers(conninfo, community):
        """The real load, then a real difference: PostgreSQL loses every offer."""
        database = loaded(conninfo, community)
        with database.connection.cursor() as cursor:
            cursor.execute("DELETE FROM offers")
        return database

    monkeypatch.setattr(benchmark.postgres_peer, "load", load_without_offers)
    report = tmp_path / "report.md"
    with pytest.raises(SystemExit, match="the answers disagree"):
        benchmark.main(["--size", "2000", "--calls", "20", "--check", "20",
                        "--ban-calls", "2", "--no-http", "--report", str(report)])
    assert "PostgreSQL's answers checked" in report.read_text()
    assert "MISMATCH [('feed'" in report.read_text()


def test_the_benchmark_fails_when_the_bulk_loader_loads_another_graph(monkeypatch, tmp_path):
    benchmark = load_benchmark()
    written = benchmark.bulk_peer.write_csv

    def write_without_a_sponsorship(community, ids, now, folder):
        """The real CSV files, but the bulk loader is given one sponsorship fewer."""
        removed = community.sponsorships.pop()
        try:
            return written(community, ids, now, folder)
        finally:
            community.sponsorships.append(removed)

    monkeypatch.setattr(benchmark.bulk_peer, "write_csv", write_without_a_sponsorship)
    report = tmp_path / "report.md"
    with pytest.raises(SystemExit, match="the bulk-loaded graph differs"):
        benchmark.main(["--size", "2000", "--calls", "20", "--check", "20", "--ban-calls", "2",
                        "--no-http", "--no-postgres", "--report", str(report)])
    assert "MISMATCH [('counts'" in report.read_text()
