"""The operator's commands give the same answers on FalkorDB and on Neo4j for the same imported
network: `trustnet import`, `path`, `circle`, `ban --dry-run --json`, `ban` and `unban`.

Where two shortest paths tie, the engines may pick either: a path is compared by its ends
and its length, and checked to follow sponsorships; everything else must be equal.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from engines import FalkorDBBackend, Neo4jBackend, engines_to_test, new_graph_name

from graph import schema
from trustnet import create_app
from trustnet.cli import main

pytestmark = pytest.mark.skipif(set(engines_to_test()) != {"falkordb", "neo4j"},
                                reason="needs both engines in the run")

SIZE = 150


def network_file(folder: Path) -> tuple[Path, set[frozenset[str]]]:
    """A random community of SIZE members (3 founders, 1-3 sponsors each), as JSON lines."""
    rng = random.Random(7)
    emails = [f"m{n}@example.org" for n in range(SIZE)]
    lines = [{"type": "member", "email": email, "name": f"M{n}", "founder": n < 3}
             for n, email in enumerate(emails)]
    edges = set()
    for n in range(3, SIZE):
        for sponsor in rng.sample(range(n), min(n, rng.randint(1, 3))):
            edges.add(frozenset((emails[sponsor], emails[n])))
            lines.append({"type": "sponsorship", "sponsor": emails[sponsor], "sponsee": emails[n]})
    path = folder / "network.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path, edges


@pytest.fixture
def apps(graph_server, neo4j_server, tmp_path, monkeypatch):
    """A FalkorDB app and a Neo4j app, each on an empty graph."""
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")
    built = {}
    for backend in (FalkorDBBackend(graph_server), Neo4jBackend(neo4j_server, graph_server)):
        app = create_app({"TESTING": True, "SECRET_KEY": "same-answers",
                          "TRUSTNET_OUTBOX_DIR": str(tmp_path / "outbox"),
                          **backend.app_settings(new_graph_name())})
        engine = app.extensions["trustnet"].connection.engine
        engine.drop_graph()  # what an earlier test left in Neo4j's one database
        schema.bootstrap(engine)
        built[backend.name] = app
    yield built
    for app in built.values():
        app.extensions["trustnet"].connection.engine.drop_graph()
        app.extensions["trustnet"].close()


def run(app, *args: str):
    """`trustnet ARGS` on app: (exit code, stdout)."""
    result = app.test_cli_runner().invoke(main, list(args))
    return result.exit_code, result.stdout + (result.stderr if result.exit_code else "")


def test_every_command_answers_the_same_on_both_engines(apps, tmp_path):
    source, edges = network_file(tmp_path)
    answers: dict[str, list] = {}
    rng = random.Random(11)
    pairs = [(f"m{rng.randrange(SIZE)}@example.org", f"m{rng.randrange(SIZE)}@example.org")
             for _ in range(25)]
    for name, app in apps.items():
        imported = run(app, "import", str(source))
        assert imported[0] == 0, imported
        found = []
        for a, b in pairs:
            code, out = run(app, "path", a, b, "--json")
            path = json.loads(out)
            if path["path"]:
                steps = list(zip(path["path"], path["path"][1:], strict=False))
                assert all(frozenset(step) in edges for step in steps), (name, path)
                path["path"] = [path["path"][0], len(path["path"]), path["path"][-1]]
            found.append((code, path))
        for member in ("m0@example.org", "m40@example.org", "m120@example.org"):
            found.append(json.loads(run(app, "circle", member, "--hops", "3", "--json")[1]))
        found.append(json.loads(run(app, "ban", "m3@example.org", "--reason", "spam",
                                    "--dry-run", "--json")[1]))
        found.append(json.loads(run(app, "ban", "m3@example.org", "--reason", "spam",
                                    "--json")[1]))
        found.append(json.loads(run(app, "unban", "m3@example.org", "--json")[1]))
        found.append(run(app, "path", "nobody@example.org", "m1@example.org"))
        answers[name] = found

    assert answers["neo4j"] == answers["falkordb"]
    assert answers["falkordb"][-4]["applied"] is False and answers["falkordb"][-3]["applied"]
