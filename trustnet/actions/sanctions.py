"""Bans, lifted bans and appeal decisions, as the admin pages and the CLI make them."""

from __future__ import annotations

import logging

from flask import Flask, current_app

from graph import bans, jobs, sanction_appeals
from graph.engine import GraphEngine
from graph.errors import Conflict, Invalid, TooLarge
from graph.ids import new_id
from trustnet.admin.notices import (
    send_appeal_outcome,
    send_ban_notices,
    send_suspension_notices,
    send_unban_notice,
)
from trustnet.services import graph_engine

log = logging.getLogger(__name__)

DECISIONS = ("granted", "rejected")


def _strike_threshold() -> int:
    return int(current_app.config["TRUSTNET_STRIKE_THRESHOLD"])


def ban_member(actor_id: str | None, member_id: str, reason: str, *,
               deadline: float | None = None,
               defer: bool = False) -> bans.BanResult | bans.BanRequested:
    """Ban a member (actor_id None: the operator at the command line). Effects:

    - one BAN statement (graph.bans): the member banned and signed out everywhere, their
      pending invitations revoked and offers hidden, the open reports about them and their
      offers closed, a strike to each sponsor who still has an account (their right to invite
      suspended at the strike threshold), the members left without a chain suspended, each
      change with its audit entry;
    - a founder or an admin whom no other admin asked to ban: only this admin's request is
      recorded (with its audit entry), returned as BanRequested, and nothing else happens;
    - past `deadline` (time.monotonic()) while walking below the member: TooLarge and nothing
      written, unless `defer`: then the member is banned at once and the cascade is left to a
      background job, started here (BanResult.job_id);
    - mails: the ban notice with its appeal link to the member, a strike notice to each
      struck sponsor, a suspension notice to each member suspended (by the background job
      once its cascade is applied), each in the recipient's language.
    """
    engine = graph_engine()
    try:
        result = bans.ban(engine, actor_id, member_id, reason,
                          strike_threshold=_strike_threshold(), deadline=deadline)
    except TooLarge:
        if not defer:
            raise
        result = bans.ban_deferred(engine, actor_id, member_id, reason, new_id(),
                                   strike_threshold=_strike_threshold())
    if isinstance(result, bans.BanRequested):
        return result
    if result.job_id is not None:
        start_job(engine, result.job_id)
    send_ban_notices(result, reason.strip())
    return result


def preview_ban(actor_id: str, member_id: str, reason: str, *,
                deadline: float) -> bans.BanPlan | str:
    """What banning the member would do, computed now (graph.bans.plan_ban), changing
    nothing; past `deadline` (time.monotonic()) while walking below the member, the preview
    is queued as a background job for the actor instead, started here, and its id returned
    (graph.jobs)."""
    engine = graph_engine()
    try:
        return bans.plan_ban(engine, member_id, deadline=deadline)
    except TooLarge:
        job_id = jobs.queue_preview(engine, actor_id, member_id, reason)
        start_job(engine, job_id)
        return job_id


def start_job(engine: GraphEngine, job_id: str) -> None:
    """Run a background job (graph.jobs) in this process. Once a ban's cascade is applied,
    the members it suspended get the mail an in-request ban sends them: the job runs outside
    any request, so it takes the app along for the mail's settings, templates and links."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs.start(engine, job_id, finished=lambda outcome: _mail_cascade(app, outcome))


def _mail_cascade(app: Flask, outcome: object) -> None:
    """Mail the members a ban's cascade (`outcome` of its job) suspended."""
    if not isinstance(outcome, bans.Cascaded):
        return
    with app.app_context():
        try:
            send_suspension_notices(outcome.member, outcome.suspended)
        except Exception:  # a thread of its own: nobody else would hear of it
            log.exception("could not mail the members a ban's cascade suspended")


def unban_member(actor_id: str | None, member_id: str, reason: str) -> bans.UnbanResult:
    """Lift a member's ban (actor_id None: the operator at the command line). Effects: one
    UNBAN statement (graph.bans): the member active again if a chain still anchors them (else
    suspended), every suspended member anchored again through them re-activated, the ban's
    strikes withdrawn (their right to invite back below the threshold), each with its audit
    entry and the notifications of the member and of everyone re-activated; a mail telling
    the member, and one to each re-activated member who wants it."""
    result = bans.unban(graph_engine(), actor_id, member_id, reason,
                        strike_threshold=_strike_threshold())
    send_unban_notice(result.member, result.reactivated)
    return result


def decide_appeal(actor_id: str, appeal_id: str, decision: str,
                  note: str) -> sanction_appeals.Appeal:
    """An admin grants ('granted') or rejects ('rejected') an appeal; returns the appeal as
    graph.sanction_appeals.appeal read it. Effects:

    - granted, for a banned member: the ban lifted as by unban_member, without its mail
      (lifting it records the appeal as granted);
    - granted, for a suspended member: the admin reinstates them (graph.bans.reinstate), a
      root of the trust graph with no sponsor, which re-activates them and whom they anchor
      again; the admin becomes nobody's sponsor, so no strike reaches them;
    - the decision recorded with its audit entry (graph.sanction_appeals.decide_appeal);
    - a mail telling the member the decision and the admin's note.

    Raises NotFound when there is no such appeal, Invalid for another decision, Conflict
    when the appeal was already decided (nothing changes in each case).
    """
    engine = graph_engine()
    found = sanction_appeals.appeal(engine, appeal_id)
    if decision not in DECISIONS:
        raise Invalid("decide granted or rejected")
    if found.status != "open":
        raise Conflict("this appeal was already decided")
    note = note.strip()
    if decision == "granted" and found.member_status == "banned":
        # The unban grants the open appeal itself, with its audit entry (graph.bans.UNBAN).
        bans.unban(engine, actor_id, found.member_id, note or "appeal granted",
                   strike_threshold=_strike_threshold())
    else:
        if decision == "granted" and found.member_status == "suspended":
            bans.reinstate(engine, actor_id, found.member_id)
        sanction_appeals.decide_appeal(engine, actor_id, appeal_id, decision, note)
    send_appeal_outcome(found.member_email, found.member_name, decision, note,
                        member_id=found.member_id)
    return found
