"""Background jobs (graph.jobs): one runner per job, a dead runner's job taken over, and the
walk of a request stopped at its deadline."""

from __future__ import annotations

import threading
import time

import pytest
from factories import count_in_line, founder, line_below, sponsored

from graph import bans, jobs, members
from graph.errors import TooLarge

AGE = "MATCH (j:Job {id: $id}) SET j.beat_at = j.beat_at - $seconds"


@pytest.fixture
def line(engine):
    """alice -> bob -> a line of 2,000 members."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    line_below(engine, bob, 2_000)
    return alice, bob


def test_racing_runners_claim_a_job_once(engine, line):
    alice, bob = line
    job_id = jobs.queue_preview(engine, alice.id, bob.id, "spam")
    start = threading.Barrier(8)
    claimed: list[bool] = []

    def runner(number: int) -> None:
        start.wait()
        claimed.append(jobs.claim(engine, job_id, f"runner-{number}"))

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == [False] * 7 + [True]


def test_a_job_whose_runner_stopped_is_taken_over_and_finished(engine, line):
    alice, bob = line
    job_id = jobs.queue_preview(engine, alice.id, bob.id, "spam")
    assert jobs.claim(engine, job_id, "a worker that then died")
    assert jobs.run(engine, job_id).status == "running"  # the other runner has it
    assert jobs.stale(engine) == []
    engine.write(AGE, {"id": job_id, "seconds": jobs.STALE_S + 1})
    assert jobs.stale(engine) == [job_id]
    done = jobs.run(engine, job_id)
    assert done.status == "done" and done.result["suspended_count"] == 2_000
    assert done.result["suspended_ids"] == [s.id for s in bans.plan_ban(engine, bob.id).suspended]


def test_a_walk_stops_at_its_deadline_and_changes_nothing(engine, line):
    alice, bob = line
    reached: list[int] = []

    def slowly(count: int) -> None:  # 250 statements of 10 ms at least: 2.5 s in all
        reached.append(count)
        time.sleep(0.01)

    with pytest.raises(TooLarge):
        bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2,
                 deadline=time.monotonic() + 0.2, progress=slowly)
    assert reached and reached[-1] < 2_000  # it went some way down, not to the end
    assert count_in_line(engine, "active") == 2_000
    assert bans.plan_ban(engine, bob.id).member.id == bob.id  # nothing banned


def test_a_deferred_ban_cascades_over_the_network_as_it_is_when_its_job_runs(engine, line):
    alice, bob = line
    bans.ban_deferred(engine, alice.id, bob.id, "spam", "job-1", strike_threshold=2)
    assert count_in_line(engine, "active") == 2_000  # not yet: the job does it
    last = members.get_member(engine, "line2000")
    zoe = sponsored(engine, last, "Zoe")  # joined below the banned member meanwhile
    job = jobs.run(engine, "job-1")
    assert job.status == "done" and job.result["suspended_count"] == 2_001
    assert count_in_line(engine, "suspended") == 2_000
    assert members.get_member(engine, zoe.id).status == "suspended"


def test_a_deferred_ban_lifted_before_its_cascade_ends_its_job_without_suspending(engine,
                                                                                  line):
    alice, bob = line
    bans.ban_deferred(engine, alice.id, bob.id, "spam", "job-1", strike_threshold=2)
    bans.unban(engine, alice.id, bob.id, "mistake", strike_threshold=2)
    job = jobs.run(engine, "job-1")
    assert job.status == "failed" and "lifted" in job.error
    assert count_in_line(engine, "active") == 2_000
