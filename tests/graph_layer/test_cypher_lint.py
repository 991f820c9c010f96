"""Every Cypher statement of graph/ passes Neo4j's own linter.

No Neo4j server can run here, but Neo4j's Cypher linter can (Node package
@neo4j-cypher/language-support, pinned in tests/cypher_lint/package.json). FalkorDB runs the
same statements for real in the other tests; this one checks they are valid Neo4j Cypher too.
A statement written for FalkorDB's own procedures (offers.SEARCH_FEED_FALKORDB, its full-text
index) is linted like the others: the linter checks its syntax, not the procedure's name.

Needs Node and, once per checkout: npm ci --prefix tests/cypher_lint
All statements are linted in one node process (~0.1-0.2 s each); the result is kept in
pytest's cache and reused while the statements, lint.mjs and the linter are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.cypher_catalog import all_statements
from graph.neo4j_engine import neo4j_text

LINT_DIR = Path(__file__).resolve().parents[1] / "cypher_lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
CACHE_KEY = "trustnet/cypher_lint"
INSTALL_HINT = "run `npm ci --prefix tests/cypher_lint` (needs Node and the npm registry)"

ERROR, WARNING = 1, 2

# Warnings Neo4j's linter may give on statements that are right for both engines.
ALLOWED_WARNINGS = {
    # `CALL (x) { ... }` is Neo4j's new form, but FalkorDB 4.16 rejects it ("Invalid input
    # '('"), so the statements keep `CALL { WITH x ... }`, which Neo4j only deprecates.
    "CALL { WITH x } deprecation": re.compile(
        r"CALL subquery without a variable scope clause is deprecated\."
    ),
    # A shortest path with no upper bound on hops: allowed, Neo4j just says it may be slow.
    "unbounded shortestPath": re.compile(
        r"Using shortest path with an unbounded pattern will likely result in long execution"
    ),
}

_PARAMETER = re.compile(r"\$(`[^`]+`|\w+)")

# Statements whose diagnostics are known: they prove the linter runs and finds errors (a
# syntax error, a semantic error, an undeclared parameter), and that the allow-list above
# still matches the linter's wording.
CANARY = "canary:"
CANARIES = {
    "syntax error": "MATCH (n:Member) RETURN n LIMT 1",
    "semantic error": "MATCH (n:Member) RETURN m",
    "undeclared parameter": "UNWIND $rows AS row MATCH (m:Member {id:row.id}) "
    "WHERE m.since > $t RETURN m",
    "claim": "MATCH (i:Invitation {token_hash:$h}) WHERE i.status='pending' "
    "SET i.status='redeemed' RETURN count(i) AS n",
    "batch merge": "UNWIND $rows AS row MERGE (m:Member {email:row.email}) "
    "ON CREATE SET m.name=row.name",
    "old call subquery": "MATCH (a:Member {id:$a}) CALL { WITH a "
    "MATCH (a)-[:SPONSORED*1..3]-(b:Member) RETURN count(b) AS n } RETURN n",
    "unbounded shortestPath": "MATCH (a:Member {id:$a}) MATCH (b:Member {id:$b}) "
    "MATCH p = shortestPath((a)-[:TRUSTS*]-(b)) RETURN length(p) AS hops",
}


def declared_parameters(query: str) -> dict[str, str]:
    """Declare every $param of the query. The linter checks that a parameter is declared,
    not its type, so a string serves for all (UNWIND $rows included)."""
    return {name.strip("`"): "x" for name in _PARAMETER.findall(query)}


def lint(
    statements: dict[str, str], undeclared: tuple[str, ...] = (), cache: pytest.Cache | None = None
) -> list[dict]:
    """Lint all statements in one node process; return its diagnostics. The parameters of
    each statement are declared, except for the statements named in ``undeclared``.

    The linter needs ~0.1-0.2 s a statement, so with a pytest ``cache`` the diagnostics of the
    last run are reused when the statements, lint.mjs and the installed linter are unchanged.
    """
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"Node is not on PATH: install Node, then {INSTALL_HINT}")
    installed = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"
    if not installed.is_file():
        pytest.fail(f"Neo4j's Cypher linter is not installed: {INSTALL_HINT}")
    payload = [
        {
            "name": name,
            "query": query,
            "parameters": {} if name in undeclared else declared_parameters(query),
        }
        for name, query in statements.items()
    ]
    request = json.dumps(payload, sort_keys=True)
    key = hashlib.sha256(
        b"\0".join([request.encode(), LINT_SCRIPT.read_bytes(), installed.read_bytes()])
    ).hexdigest()
    if cache is not None:
        last = cache.get(CACHE_KEY, None)
        if isinstance(last, dict) and last.get("key") == key:
            return last["diagnostics"]
    done = subprocess.run(  # noqa: S603 - fixed command, our own script
        [node, str(LINT_SCRIPT)],
        input=request,
        capture_output=True,
        text=True,
        cwd=LINT_DIR,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"lint.mjs failed (exit {done.returncode}):\n{done.stderr}")
    diagnostics = json.loads(done.stdout)
    if cache is not None:
        cache.set(CACHE_KEY, {"key": key, "diagnostics": diagnostics})
    return diagnostics


@pytest.fixture(scope="module")
def statements() -> dict[str, str]:
    return {name: neo4j_text(query) for name, query in all_statements().items()}


@pytest.fixture(scope="module")
def diagnostics(statements, pytestconfig) -> dict[str, list[dict]]:
    """Diagnostics by statement name: graph/'s statements and the canaries, in one run."""
    canaries = {CANARY + name: query for name, query in CANARIES.items()}
    by_name: dict[str, list[dict]] = {name: [] for name in [*canaries, *statements]}
    undeclared = (CANARY + "undeclared parameter",)
    cache = getattr(pytestconfig, "cache", None)  # None under -p no:cacheprovider
    for d in lint({**canaries, **statements}, undeclared=undeclared, cache=cache):
        by_name[d["name"]].append(d)
    return by_name


def _allowed(message: str) -> bool:
    return any(p.search(message) for p in ALLOWED_WARNINGS.values())


def _listing(found: list[dict], statements: dict[str, str]) -> str:
    return "\n".join(
        f"- {d['name']} (line {d['line']}): {d['message']}\n    {statements[d['name']].strip()}"
        for d in found
    )


def test_graph_package_declares_statements(statements):
    assert statements, "graph/ declares no Cypher statement (see graph/cypher_catalog.py)"


def test_no_statement_has_a_neo4j_error(statements, diagnostics):
    errors = [d for name in statements for d in diagnostics[name] if d["severity"] == ERROR]
    assert not errors, "Neo4j's linter rejects these statements:\n" + _listing(errors, statements)


def test_no_statement_has_an_unexpected_neo4j_warning(statements, diagnostics):
    warnings = [
        d
        for name in statements
        for d in diagnostics[name]
        if d["severity"] != ERROR and not _allowed(d["message"])
    ]
    assert not warnings, "Neo4j's linter warns about these statements:\n" + _listing(
        warnings, statements
    )


def test_linter_reports_errors(diagnostics):
    for canary in ("syntax error", "semantic error", "undeclared parameter"):
        errors = [d for d in diagnostics[CANARY + canary] if d["severity"] == ERROR]
        assert errors, f"the linter found no error in the {canary} canary"
    assert any("LIMT" in d["message"] for d in diagnostics[CANARY + "syntax error"])
    assert sorted(
        d["message"] for d in diagnostics[CANARY + "undeclared parameter"] if d["severity"] == ERROR
    ) == ["Parameter $rows is not defined.", "Parameter $t is not defined."]


def test_linter_passes_good_statements_and_allowed_warnings(diagnostics):
    for canary in ("claim", "batch merge"):
        assert diagnostics[CANARY + canary] == [], canary
    for canary, allowed in (
        ("old call subquery", "CALL { WITH x } deprecation"),
        ("unbounded shortestPath", "unbounded shortestPath"),
    ):
        found = diagnostics[CANARY + canary]
        assert [d["severity"] for d in found] == [WARNING], (canary, found)
        assert ALLOWED_WARNINGS[allowed].search(found[0]["message"]), (canary, found)


def test_every_parameter_is_declared():
    query = "UNWIND $rows AS row MATCH (m:Member {id:row.id, `k`:$`odd name`}) WHERE m.t > $t0"
    assert declared_parameters(query) == {"rows": "x", "odd name": "x", "t0": "x"}
