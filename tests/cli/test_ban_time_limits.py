"""`trustnet ban` below a large subtree: a walk past --time-limit, or a query past the
engine's time limit, is one line on stderr and exit code 2, with nothing changed."""

from __future__ import annotations

import pytest
from factories import count_in_line, founder, line_below, reload, sponsored

LINE = 30_000


@pytest.fixture
def app_config(app_config, request):
    """The test app, with the settings a test gives it by indirect parametrization."""
    return {**app_config, **getattr(request, "param", {})}


@pytest.fixture
def bob(engine):
    """alice -> bob -> a line of LINE members."""
    bob = sponsored(engine, founder(engine, "Alice"), "Bob")
    line_below(engine, bob, LINE)
    return bob


def assert_one_line_error(result) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""


def test_a_ban_past_its_time_limit_is_one_line(cli, engine, bob):
    result = cli("ban", "bob@example.org", "--reason", "spam", "--time-limit", "0.2")
    assert_one_line_error(result)
    assert "time limit" in result.stderr
    assert reload(engine, bob).status == "active"
    assert count_in_line(engine, "active") == LINE


@pytest.mark.parametrize("app_config", [{"TRUSTNET_QUERY_TIMEOUT_MS": 1}], indirect=True)
def test_a_query_past_the_engines_time_limit_is_one_line(cli, engine, bob):
    result = cli("ban", "bob@example.org", "--reason", "spam", "--dry-run")
    assert_one_line_error(result)
    assert "timed out" in result.stderr.lower() or "timedout" in result.stderr.lower()
    assert reload(engine, bob).status == "active"
