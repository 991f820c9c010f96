"""Background jobs: the work on a large subtree that no web request may wait for (a ban's
preview, a ban's cascade), recorded in the graph so that every web worker, and the command
line, can follow it.

A job is a :Job node, created by one statement (a deferred ban creates its job in the same
statement as the ban: graph.bans.ban_deferred). Exactly one runner claims it: the claim is
one statement whose condition only the first claim meets (FalkorDB serialises writes; on
Neo4j the write lock taken first makes the second claim read the first one's status). The
runner writes how far it got now and then (its heartbeat), then the job's result (JSON) or
its error. A job whose runner stopped beating for STALE_S (its worker was restarted) is
claimed again by the next admin page served (trustnet.admin.routes).

Kinds: 'ban_preview' (graph.bans.plan_ban, summed up for its page) and 'ban' (the cascade
of a deferred ban, graph.bans.complete_ban).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph import bans
from graph.engine import GraphEngine
from graph.errors import DomainError, NotFound
from graph.ids import new_id
from graph.locks import write_lock
from graph.members import Someone

log = logging.getLogger(__name__)

# A running job whose heartbeat is older than this is taken over by the next claim.
STALE_S = 120.0
# Progress is written back at most this often (each write is a statement on the engine).
BEAT_S = 1.0
# How many suspended members a job's result names (its page shows that many).
RESULT_PEOPLE = 200
# A preview names every member it would suspend, for the confirmation to compare, up to this;
# above, the confirmation compares counts (trustnet.admin.routes).
RESULT_IDS = 20_000
# The name of a job's thread begins with this (the tests wait for them before closing an app).
THREAD_NAME_PREFIX = "job-"

CREATE_PREVIEW_JOB = """
MATCH (m:Member {id: $member_id})
CREATE (j:Job {id: $id, kind: 'ban_preview', status: 'queued', member_id: m.id,
               actor_id: $actor_id, reason: $reason, reached: 0, created_at: $now,
               beat_at: $now})
RETURN j.id AS id
"""

CLAIM_JOB = f"""
MATCH (j:Job {{id: $id}})
{write_lock("j")}
WITH j
WHERE j.status = 'queued' OR (j.status = 'running' AND j.beat_at < $stale_before)
SET j.status = 'running', j.runner = $runner, j.beat_at = $now
RETURN j.id AS id
"""

BEAT_JOB = """
MATCH (j:Job {id: $id})
WHERE j.status = 'running' AND j.runner = $runner
SET j.reached = $reached, j.beat_at = $now
RETURN j.id AS id
"""

END_JOB = """
MATCH (j:Job {id: $id})
WHERE j.status = 'running' AND j.runner = $runner
SET j.status = $status, j.result = $result, j.error = $error, j.beat_at = $now,
    j.ended_at = $now
RETURN j.id AS id
"""

STALE_JOBS = """
MATCH (j:Job)
WHERE j.status IN ['queued', 'running'] AND j.beat_at < $stale_before
RETURN j.id AS id
"""

JOB = """
MATCH (j:Job {id: $id})
RETURN j {.id, .kind, .status, .member_id, .actor_id, .reason, .reached, .ban_id,
          .invitations_revoked, .offers_hidden, .result, .error, .created_at, .beat_at} AS job
"""


@dataclass(frozen=True)
class Job:
    """A job as its page shows it."""

    id: str
    kind: str
    status: str  # queued, running, done or failed
    member_id: str
    actor_id: str | None
    reason: str
    reached: int  # members the walk reached so far
    result: dict[str, Any] | None
    error: str | None
    fields: dict[str, Any]  # the node's other properties (ban_id, counts of a deferred ban)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def queue_preview(engine: GraphEngine, actor_id: str | None, member_id: str,
                  reason: str) -> str:
    """Record a ban preview to compute in the background; returns the job's id."""
    job_id = new_id()
    rows = engine.write(CREATE_PREVIEW_JOB, {"id": job_id, "member_id": member_id,
                                             "actor_id": actor_id, "reason": reason,
                                             "now": time.time()})
    if not rows:
        raise NotFound("no such member")
    return job_id


def get(engine: GraphEngine, job_id: str) -> Job:
    """The job, as its page shows it."""
    rows = engine.read(JOB, {"id": job_id})
    if not rows:
        raise NotFound("no such job")
    row = rows[0]["job"]
    return Job(id=row["id"], kind=row["kind"], status=row["status"],
               member_id=row["member_id"], actor_id=row.get("actor_id"),
               reason=row.get("reason") or "", reached=int(row.get("reached") or 0),
               result=json.loads(row["result"]) if row.get("result") else None,
               error=row.get("error"), fields=row)


def stale(engine: GraphEngine) -> list[str]:
    """The jobs nobody is working on any more (their worker stopped before they ended)."""
    return [row["id"] for row in engine.read(STALE_JOBS, {"stale_before": time.time() - STALE_S})]


def claim(engine: GraphEngine, job_id: str, runner: str) -> bool:
    """Take the job for this runner; False when another runner has it or it ended."""
    now = time.time()
    return bool(engine.write(CLAIM_JOB, {"id": job_id, "runner": runner, "now": now,
                                         "stale_before": now - STALE_S}))


# Told what a job that ended well did (its kind's outcome: a bans.BanPlan for a preview, a
# bans.Cascaded for a ban's cascade), once that is recorded: the web app mails the members
# a cascade suspended (trustnet.actions.sanctions), which the graph layer cannot.
Finished = Callable[[Any], None]


def run(engine: GraphEngine, job_id: str, finished: Finished | None = None) -> Job:
    """Claim the job and do it here, to the end (a runner thread, the command line), then
    tell `finished` its outcome unless another runner took it over meanwhile. Returns the
    job as it is afterwards (perhaps run by another runner)."""
    runner = new_id()
    if claim(engine, job_id, runner):
        job = get(engine, job_id)
        last_beat = [time.monotonic()]

        def beat(reached: int) -> None:
            if time.monotonic() - last_beat[0] >= BEAT_S:
                last_beat[0] = time.monotonic()
                engine.write(BEAT_JOB, {"id": job_id, "runner": runner, "reached": reached,
                                        "now": time.time()})

        status, result, error, outcome = "done", None, None, None
        try:
            result, outcome = _WORK[job.kind](engine, job, beat)
        except DomainError as failure:
            status, error = "failed", str(failure)
        except Exception:
            log.exception("job %s failed", job_id)
            status, error = "failed", "the job stopped on an unexpected error"
        ended = engine.write(END_JOB, {
            "id": job_id, "runner": runner, "status": status,
            "result": json.dumps(result) if result is not None else None, "error": error,
            "now": time.time()})
        if ended and outcome is not None and finished is not None:
            finished(outcome)
    return get(engine, job_id)


def start(engine: GraphEngine, job_id: str, finished: Finished | None = None) -> None:
    """Run the job in a thread of this process (see run); the request that queued it
    returns at once."""
    threading.Thread(target=_run_logged, args=(engine, job_id, finished),
                     name=THREAD_NAME_PREFIX + job_id, daemon=True).start()


def _run_logged(engine: GraphEngine, job_id: str, finished: Finished | None) -> None:
    try:
        run(engine, job_id, finished)
    except Exception:  # the engine went away: a later look at the job takes it over
        log.exception("runner of job %s stopped", job_id)


def _people(people: list[Someone]) -> list[dict]:
    return [{"id": p.id, "email": p.email, "name": p.name} for p in people]


def _preview(engine: GraphEngine, job: Job,
             beat: bans.Progress) -> tuple[dict, bans.BanPlan]:
    """A ban preview, summed up: the counts, the first members it would suspend, and the ids
    of all of them when they are few enough for the confirmation to compare; and the plan."""
    plan = bans.plan_ban(engine, job.member_id, progress=beat)
    return {"member": _people([plan.member])[0], "candidates": len(plan.candidates),
            "suspended_count": len(plan.suspended),
            "suspended": _people(plan.suspended[:RESULT_PEOPLE]),
            "suspended_ids": ([s.id for s in plan.suspended]
                              if len(plan.suspended) <= RESULT_IDS else None),
            "strikes": _people(plan.strikes), "invitations_revoked": plan.invitations_revoked,
            "offers_hidden": plan.offers_hidden, "protected": plan.protected}, plan


def _cascade(engine: GraphEngine, job: Job,
             beat: bans.Progress) -> tuple[dict, bans.Cascaded]:
    """The cascade of a deferred ban, summed up for its page; and all it did."""
    done = bans.complete_ban(engine, job.fields["ban_id"], job.member_id, job.actor_id,
                             job.reason, progress=beat)
    return {"member": _people([done.member])[0], "suspended_count": len(done.suspended),
            "suspended": _people(done.suspended[:RESULT_PEOPLE]),
            "strikes": _people(done.strikes)}, done


_WORK = {"ban_preview": _preview, "ban": _cascade}
