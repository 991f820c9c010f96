"""`trustnet import` of a large file tells how far it got: a step per batch written, as lines
where stderr is not a terminal (logs, CI) and as a progress bar on a terminal."""

from __future__ import annotations

import json
import os
import re
import select

from graph import importer, members
from trustnet.progress import progress, steps


def community_file(path, size: int) -> str:
    """A JSON Lines file of one founder and size - 1 members, each sponsored by an earlier one."""
    emails = [f"member{n}@example.org" for n in range(size)]
    lines = [json.dumps({"type": "member", "email": email, "name": f"Member {n}",
                         "founder": n == 0}) for n, email in enumerate(emails)]
    lines += [json.dumps({"type": "sponsorship", "sponsor": emails[(n - 1) // 3],
                          "sponsee": emails[n]}) for n in range(1, size)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_large_import_reports_each_batch_on_stderr(cli, engine, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 1_000)
    result = cli("import", community_file(tmp_path / "community.jsonl", 3_500))

    assert result.exit_code == 0, result.output
    steps = re.findall(r"^Importing members: (\d+)/3500 \((\d+)%\)$", result.stderr, re.M)
    assert steps == [("1000", "28"), ("2000", "57"), ("3000", "85"), ("3500", "100")]
    assert "3500 members in file, 3500 new" in result.stdout
    assert "Importing members" not in result.stdout  # progress stays off the report
    assert members.count_members(engine) == 3_500


def test_an_invalid_file_shows_its_errors_and_no_progress(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "member", "email": "nobody", "name": "X"}\n', encoding="utf-8")
    result = cli("import", str(bad))

    assert result.exit_code == 2
    assert f"{bad}:1: email is not a valid e-mail address" in result.stderr
    assert "Importing members:" not in result.stderr


def _read_all(fd: int) -> str:
    """What was written to the terminal so far (a pty hands it over in pieces)."""
    chunks = []
    while select.select([fd], [], [], 0)[0]:
        chunks.append(os.read(fd, 65_536))
    return b"".join(chunks).decode()


def test_on_a_terminal_the_progress_is_a_bar():
    controller, terminal = os.openpty()
    try:
        with os.fdopen(terminal, "w", closefd=False) as stream:
            with progress("Importing members", file=stream) as report:
                report(1_000, 4_000)
                report(4_000, 4_000)
        shown = _read_all(controller)
    finally:
        os.close(controller)
        os.close(terminal)
    assert "Importing members" in shown
    assert "1000/4000" in shown and "25%" in shown
    assert "4000/4000" in shown and "100%" in shown
    assert "#" in shown  # the bar itself


def test_work_of_several_steps_shows_a_bar_per_step_and_a_line_per_percent(capsys):
    controller, terminal = os.openpty()
    try:
        with os.fdopen(terminal, "w", closefd=False) as stream:
            with steps(file=stream) as report:
                report("Writing the snapshot", 50, 100)
                report("Copying the snapshot", 100, 100)
        shown = _read_all(controller)
    finally:
        os.close(controller)
        os.close(terminal)
    assert shown.index("Writing the snapshot") < shown.index("Copying the snapshot")
    assert "50/100" in shown and "#" in shown

    with steps() as report:  # stderr, captured: not a terminal
        for done in range(0, 1001):
            report("Copying the snapshot", done, 1000)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 101  # once per whole percent, not once per call
    assert lines[-1] == "Copying the snapshot: 1000/1000 (100%)"
