"""Every Cypher statement of `graph/`, written out in one reviewed file.

Many statements are generated from shared fragments (the trust walk unrolled per hop count,
the visibility rule, the chain statuses): a change to one fragment changes statements far
from it. The snapshot makes that change visible in review: this test fails until the
snapshot is rewritten with the change, and the diff shows every statement it touched.
Rewrite it with `TRUSTNET_UPDATE_SNAPSHOT=1 pytest tests/graph_layer/test_statement_snapshot.py`.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from graph.cypher_catalog import all_statements

SNAPSHOT = Path(__file__).with_name("statements.cypher")


def snapshot_text() -> str:
    """The statements, one after the other under their key, dedented, in a stable order."""
    return "".join(f"// {key}\n{textwrap.dedent(text).strip()}\n\n"
                   for key, text in sorted(all_statements().items()))


def test_every_statement_is_the_one_in_the_reviewed_snapshot():
    text = snapshot_text()
    if os.environ.get("TRUSTNET_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == text, (
        "a Cypher statement changed: review the change, then rewrite "
        f"{SNAPSHOT.name} with TRUSTNET_UPDATE_SNAPSHOT=1")
