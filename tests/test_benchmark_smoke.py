"""The benchmark harness at a tiny size: it runs end to end, the engine's answers agree with
the in-memory peers', and the report is written. No timing is asserted."""

import importlib.util
import sys
from pathlib import Path

import pytest

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
                             "--ban-calls", "2", "--no-http", "--report", str(report)])
    assert result["checks"]["agree"], result["checks"]
    assert result["checks"]["feed"] == 20 and result["checks"]["path"] == 40
    assert result["load_s"] > 0
    text = report.read_text()
    for operation in ("feed, ordinary members", "feed, hubs", "path + strength, random pair",
                      "ban preview", "invitation + redemption", "networkx peer", "CSR peer"):
        assert operation in text
