"""Find every Cypher statement that the ``graph`` package declares, so tests can check them all.

Convention: a Cypher statement is a module-level constant of a module of the ``graph`` package

- whose name is ALL_CAPS (``[A-Z][A-Z0-9_]*``) and is assigned in that module itself (found
  with ``ast``, so a name merely imported from elsewhere is not counted twice; the value is
  then read with ``getattr``, so a constant computed at import time from allow-listed
  fragments counts too);
- whose value is a ``str``, or a ``dict`` (any mapping) or ``tuple`` of ``str``;
- whose stripped text starts with an upper-case Cypher clause keyword: ``MATCH``,
  ``OPTIONAL MATCH``, ``CREATE``, ``MERGE``, ``UNWIND``, ``WITH``, ``CALL``, ``RETURN`` or
  ``DROP``.

Statements are keyed ``module.NAME``, or ``module.NAME[key]`` for each entry of a dict or
tuple (``module`` is the full dotted module name, e.g. ``graph.members.CLAIM_INVITATION``).

So: write every statement as such a constant. A fragment that is not a whole statement gets a
name with a leading underscore (``_MEMBER_BY_ID``) and is not collected.

Every statement runs on both engines but the full-text searches, one per engine
(``graph.offers.SEARCH_FEED`` and ``SEARCH_FEED_FALKORDB``); the Neo4j lint
(``tests/graph_layer/test_cypher_lint.py``) checks them all.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType

_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_CYPHER_START = re.compile(
    r"(?:MATCH|OPTIONAL\s+MATCH|CREATE|MERGE|UNWIND|WITH|CALL|RETURN|DROP)\b"
)


def is_cypher(value: object) -> bool:
    """True if ``value`` is a string whose stripped text starts with a Cypher clause keyword."""
    return isinstance(value, str) and _CYPHER_START.match(value.strip()) is not None


def all_statements(package: ModuleType | None = None) -> dict[str, str]:
    """Import every module of ``package`` (default: ``graph``) and return its Cypher statements.

    An import error in any module is raised, not hidden: a module that cannot be imported
    would otherwise leave its statements unchecked.

    By default only the directory of this file is walked: while ``graph`` has no
    ``__init__.py`` it is a namespace package, and any other ``graph/`` folder on sys.path
    would otherwise count as part of it.
    """
    if package is None:
        package = importlib.import_module(__package__ or "graph")
        path = [str(Path(__file__).resolve().parent)]
    else:
        path = list(getattr(package, "__path__", []))
    statements: dict[str, str] = {}
    for module in _modules(package, path):
        for name in _assigned_constant_names(module):
            value = getattr(module, name, None)
            key = f"{module.__name__}.{name}"
            if isinstance(value, str):
                entries = [(key, value)]
            elif isinstance(value, Mapping):
                entries = [(f"{key}[{k}]", v) for k, v in value.items()]
            elif isinstance(value, tuple):
                entries = [(f"{key}[{i}]", v) for i, v in enumerate(value)]
            else:
                continue
            statements.update((k, v) for k, v in entries if is_cypher(v))
    return statements


def _modules(package: ModuleType, path: list[str]) -> Iterator[ModuleType]:
    yield package

    def _raise(name: str) -> None:
        raise ImportError(f"cannot import {name} while collecting Cypher statements")

    for info in pkgutil.walk_packages(path, package.__name__ + ".", onerror=_raise):
        yield importlib.import_module(info.name)


def _assigned_constant_names(module: ModuleType) -> list[str]:
    """ALL_CAPS names assigned at module level (also under module-level if/try/with)."""
    filename = getattr(module, "__file__", None)
    if not filename or not filename.endswith(".py"):
        return []
    tree = ast.parse(Path(filename).read_text(encoding="utf-8"), filename=filename)
    names: list[str] = []

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                targets: list[ast.expr] = list(stmt.targets)
            elif isinstance(stmt, ast.AnnAssign | ast.AugAssign):
                targets = [stmt.target]
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(stmt, field, []):
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child])
                continue
            for target in targets:
                add(target)

    def add(target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            if _CONSTANT_NAME.fullmatch(target.id) and target.id not in names:
                names.append(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                add(element)
        elif isinstance(target, ast.Starred):
            add(target.value)

    visit(tree.body)
    return names
