"""graph.cypher_catalog finds exactly the statements its convention names, on a fake package."""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from graph.cypher_catalog import all_statements, is_cypher


def _make_package(root, name, files):
    for relpath, text in files.items():
        path = root / name / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).replace("PKG", name), encoding="utf-8")


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """Import a throwaway package written into tmp_path; forget it afterwards."""
    name = f"fakegraph_{uuid.uuid4().hex}"
    monkeypatch.syspath_prepend(str(tmp_path))

    def load(files):
        _make_package(tmp_path, name, files)
        importlib.invalidate_caches()
        return importlib.import_module(name)

    yield load
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]


FILES = {
    "__init__.py": """
        INIT_COUNT = "MATCH (n) RETURN count(n) AS n"
    """,
    "fragments.py": """
        SHARED = "MATCH (s:Member) RETURN s.id AS id"
        HOPS = "*1..3"
    """,
    "members.py": """
        from PKG.fragments import HOPS, SHARED

        _MEMBER = "MATCH (m:Member {id:$id})"
        CLAIM = '''
            MATCH (i:Invitation {token_hash:$h}) WHERE i.status='pending'
            SET i.status='redeemed' RETURN count(i) AS n
        '''
        BY_KIND: dict[str, str] = {
            "add": "CREATE (m:Member {id:$id})",
            "upsert": "MERGE (m:Member {id:$id})",
            "label": "Member",
        }
        PAIR = ("UNWIND $rows AS r RETURN r", "OPTIONAL MATCH (n) RETURN n", 3)
        NAME = _MEMBER + " RETURN m.name AS name"
        REACH = "MATCH (a:Member {id:$a})-[:SPONSORED" + HOPS + "]-(b) RETURN count(b) AS n"
        WITH_FIRST, CALL_FIRST = "WITH 1 AS x RETURN x", "CALL { RETURN 1 AS x } RETURN x"
        lower_query = "MATCH (n) RETURN n"
        Mixed_Case = "MATCH (n) RETURN n"
        HELP_TEXT = "Create your account here"
        MATCHING_RULE = "MATCHES are case sensitive"
        lowercase_cypher = "match (n) return n"
        LIMIT = 10
        if True:
            RETURN_ONE = "RETURN 1 AS one"

        def helper():
            INNER = "MATCH (n) RETURN n"
            return INNER

        class Queries:
            IN_CLASS = "MATCH (n) RETURN n"
    """,
    "sub/__init__.py": "",
    "sub/schema.py": """
        DROP_INDEX = "DROP INDEX member_id IF EXISTS"
    """,
}


def test_collects_exactly_the_declared_statements(fake_package):
    package = fake_package(FILES)
    name = package.__name__
    found = all_statements(package=package)
    assert {k.removeprefix(name + ".") for k in found} == {
        "INIT_COUNT",
        "fragments.SHARED",
        "members.CLAIM",
        "members.BY_KIND[add]",
        "members.BY_KIND[upsert]",
        "members.PAIR[0]",
        "members.PAIR[1]",
        "members.NAME",
        "members.REACH",
        "members.WITH_FIRST",
        "members.CALL_FIRST",
        "members.RETURN_ONE",
        "sub.schema.DROP_INDEX",
    }
    members = importlib.import_module(f"{name}.members")
    assert found[f"{name}.members.CLAIM"] == members.CLAIM
    assert found[f"{name}.members.NAME"] == "MATCH (m:Member {id:$id}) RETURN m.name AS name"
    assert "[:SPONSORED*1..3]" in found[f"{name}.members.REACH"]


def test_import_errors_are_not_hidden(fake_package):
    files = dict(FILES)
    files["broken.py"] = "import PKG.does_not_exist\n"
    package = fake_package(files)
    with pytest.raises(ImportError):
        all_statements(package=package)


def test_broken_subpackage_is_not_hidden(fake_package):
    files = dict(FILES)
    files["sub/__init__.py"] = "raise ImportError('boom')\n"
    package = fake_package(files)
    with pytest.raises(ImportError):
        all_statements(package=package)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  \n OPTIONAL  MATCH (n) RETURN n", True),
        ("UNWIND $rows AS row RETURN row", True),
        ("CREATE INDEX FOR (m:Member) ON (m.id)", True),
        ("CREATED_AT", False),
        ("Create your account", False),
        ("match (n) return n", False),
        (b"MATCH (n) RETURN n", False),
        (None, False),
    ],
)
def test_is_cypher(text, expected):
    assert is_cypher(text) is expected


def test_default_walk_stays_in_the_graph_directory():
    # graph/ is a namespace package: no other graph/ folder on sys.path may be walked as part
    # of it.
    graph_dir = Path(all_statements.__code__.co_filename).resolve().parent
    for key in all_statements():
        module = sys.modules[key.split("[", 1)[0].rsplit(".", 1)[0]]
        assert Path(module.__file__).resolve().parent == graph_dir, key
