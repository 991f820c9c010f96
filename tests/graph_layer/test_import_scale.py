"""Importing a whole community at once: thousands of members, every one anchored."""

from __future__ import annotations

import json
import random

from factories import count_sponsorships

from graph import importer, members

UNSPONSORED_NON_FOUNDERS = """
MATCH (m:Member)
WHERE NOT m.founder AND NOT ()-[:SPONSORED]->(m)
RETURN count(m) AS orphans
"""

IMPORTED_ACTIVE = "MATCH (m:Member {status: 'active', imported: true}) RETURN count(m) AS members"


def community(size: int, founders: int = 3) -> list[str]:
    """JSON lines of a community: founders, then members each sponsored by an earlier one.

    Sponsorships come before the members they name, members are shuffled, and every tenth
    member has a second sponsor: the file is not in the order the importer must write it.
    """
    emails = [f"member{n}@example.org" for n in range(size)]
    lines = [json.dumps({"type": "sponsorship", "sponsor": emails[(n - 1) // 4],
                         "sponsee": emails[n]}) for n in range(founders, size)]
    lines += [json.dumps({"type": "sponsorship", "sponsor": emails[n % founders],
                          "sponsee": emails[n]}) for n in range(founders + 10, size, 10)]
    member_lines = [json.dumps({"type": "member", "email": email, "name": f"Member {n}",
                                "founder": n < founders}) for n, email in enumerate(emails)]
    random.Random(size).shuffle(member_lines)
    return lines + member_lines


def test_a_five_thousand_member_import_loads_and_every_non_founder_has_a_sponsor(engine):
    lines = community(5_000)
    sponsorship_lines = sum('"sponsorship"' in line for line in lines)

    report = importer.import_community(engine, lines)

    assert (report.members_in_file, report.members_created) == (5_000, 5_000)
    assert members.count_members(engine) == 5_000
    assert engine.read(IMPORTED_ACTIVE)[0]["members"] == 5_000
    assert engine.read(UNSPONSORED_NON_FOUNDERS)[0]["orphans"] == 0
    assert count_sponsorships(engine) == sponsorship_lines


def test_an_import_written_in_batches_leaves_no_member_unanchored_between_batches(
        engine, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 700)
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total, engine.read(UNSPONSORED_NON_FOUNDERS)[0]["orphans"]))

    importer.import_community(engine, community(5_000), progress=progress)

    assert [done for done, _, _ in seen] == [*range(700, 5_000, 700), 5_000]
    assert {orphans for _, _, orphans in seen} == {0}
    assert members.count_members(engine) == 5_000
