"""`trustnet ban`, `trustnet unban` and `trustnet admin grant|revoke`: moderation for operators.

With --json, ban and unban print one JSON object whose shape is stable (lists sorted):

    ban EMAIL    {"banned": EMAIL, "suspended": [EMAIL, ...], "strikes": [EMAIL, ...],
                  "invitations_revoked": N, "offers_hidden": N, "applied": true|false}
    unban EMAIL  {"unbanned": EMAIL, "reactivated": [EMAIL, ...],
                  "strikes_withdrawn": [EMAIL, ...]}

--dry-run prints the preview ("applied": false) and changes nothing. The actor recorded in
the audit log is the command line. An unknown e-mail, a walk longer than --time-limit, or a
graph engine that fails or times out exits with code 2 and one line on stderr.
"""

from __future__ import annotations

import json
import time
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from graph import bans, members, moderation
from graph.engine import EngineError
from graph.errors import DomainError
from trustnet.admin.notices import send_ban_notices, send_unban_notice
from trustnet.cli import _with_base_url, fail, main
from trustnet.services import graph, plus_apart


def _emails(people: list[bans.Someone]) -> list[str]:
    return sorted(person.email for person in people)


@main.command("ban")
@click.argument("email")
@click.option("--reason", required=True, help="Why: recorded and sent to the member.")
@click.option("--dry-run", is_flag=True, help="Print what the ban would do; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--time-limit", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Give up, changing nothing, if walking below the member takes longer.")
@with_appcontext
def ban_command(email: str, reason: str, dry_run: bool, as_json: bool,
                time_limit: float | None) -> None:
    """Ban a member, with the cascade through the sponsorship graph."""
    deadline = None if time_limit is None else time.monotonic() + time_limit
    try:
        member = members.require_member_by_email(graph(), email, plus_apart())
        if dry_run:
            outcome: bans.BanPlan | bans.BanResult = bans.plan_ban(graph(), member.id,
                                                                   deadline=deadline)
        else:
            outcome = bans.ban(graph(), None, member.id, reason, deadline=deadline,
                               strike_threshold=current_app.config["TRUSTNET_STRIKE_THRESHOLD"])
            moderation.close_reports_about(graph(), None, member.id)
    except (DomainError, EngineError) as error:
        fail(str(error))
    if isinstance(outcome, bans.BanResult):
        with _with_base_url():
            send_ban_notices(outcome, reason.strip())
    report: dict[str, Any] = {
        "banned": member.email,
        "suspended": _emails(outcome.suspended),
        "strikes": _emails(outcome.strikes),
        "invitations_revoked": outcome.invitations_revoked,
        "offers_hidden": outcome.offers_hidden,
        "applied": not dry_run,
    }
    if as_json:
        click.echo(json.dumps(report))
        return
    verb = "would be" if dry_run else "is"
    click.echo(f"{member.email} {verb} banned; {len(report['suspended'])} member(s) "
               f"{verb} suspended, {len(report['strikes'])} sponsor(s) struck, "
               f"{report['invitations_revoked']} invitation(s) revoked, "
               f"{report['offers_hidden']} offer(s) hidden.")
    for address in report["suspended"]:
        click.echo(f"  suspended: {address}")
    for address in report["strikes"]:
        click.echo(f"  strike: {address}")


@main.command("unban")
@click.argument("email")
@click.option("--reason", default="", help="Why the ban is lifted (recorded).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def unban_command(email: str, reason: str, as_json: bool) -> None:
    """Lift a member's ban: re-activate whom it suspended, withdraw its strikes."""
    try:
        member = members.require_member_by_email(graph(), email, plus_apart())
        result = bans.unban(graph(), None, member.id, reason,
                            strike_threshold=current_app.config["TRUSTNET_STRIKE_THRESHOLD"])
    except (DomainError, EngineError) as error:
        fail(str(error))
    with _with_base_url():
        send_unban_notice(result.member)
    report = {
        "unbanned": member.email,
        "reactivated": _emails(result.reactivated),
        "strikes_withdrawn": _emails(result.strikes_withdrawn),
    }
    if as_json:
        click.echo(json.dumps(report))
        return
    click.echo(f"{member.email} is {result.status} again; {len(report['reactivated'])} "
               f"member(s) re-activated, {len(report['strikes_withdrawn'])} strike(s) withdrawn.")


@main.group()
def admin() -> None:
    """Admin roles."""


@admin.command("grant")
@click.argument("email")
@with_appcontext
def admin_grant(email: str) -> None:
    """Make a member an admin."""
    _set_admin(email, True)
    click.echo(f"{email} is an admin.")


@admin.command("revoke")
@click.argument("email")
@with_appcontext
def admin_revoke(email: str) -> None:
    """Take the admin role back."""
    _set_admin(email, False)
    click.echo(f"{email} is no longer an admin.")


def _set_admin(email: str, admin: bool) -> None:
    try:
        member = members.require_member_by_email(graph(), email, plus_apart())
        moderation.set_admin(graph(), None, member.id, admin)
    except DomainError as error:
        fail(str(error))
