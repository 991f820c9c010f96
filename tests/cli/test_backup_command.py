"""`trustnet backup` and `trustnet restore` on an engine they do not manage (Neo4j, or a
FalkorDB server named by a URL) say what backs it up instead, and write nothing. Their
round trip on the embedded engine is in tests/faults/test_backup_restore.py."""

from __future__ import annotations


def test_backup_names_the_engines_own_tool_and_writes_nothing(cli, backend, tmp_path):
    backup = tmp_path / "community.backup"
    result = cli("backup", str(backup))

    assert result.exit_code == 2
    if backend.name == "neo4j":
        assert "'neo4j-admin database dump' (Community: with the database stopped)" in result.stderr
        assert "'neo4j-admin database load'" in result.stderr
    else:
        assert "is backed up on its host (BGSAVE, then copy its dump.rdb)" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not backup.exists()


def test_restore_names_the_engines_own_tool(cli, backend, app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTNET_GRAPH_URL", app_config["TRUSTNET_GRAPH_URL"])
    backup = tmp_path / "community.backup"
    backup.write_bytes(b"REDIS0012")
    result = cli("restore", str(backup))

    assert result.exit_code == 2
    expected = "'neo4j-admin database load'" if backend.name == "neo4j" else "on its host"
    assert expected in result.stderr
