"""`trustnet ban`, `trustnet unban` and `trustnet admin grant|revoke`: moderation for operators.

With --json, ban and unban print one JSON object whose shape is stable (lists sorted):

    ban EMAIL    {"banned": EMAIL, "suspended": [EMAIL, ...], "strikes": [EMAIL, ...],
                  "invitations_revoked": N, "offers_hidden": N, "applied": true|false}
    unban EMAIL  {"unbanned": EMAIL, "reactivated": [EMAIL, ...],
                  "strikes_withdrawn": [EMAIL, ...]}

--dry-run prints the preview ("applied": false) and changes nothing. The actor recorded in
the audit log is the admin named by --admin, else the command line. A founder or an admin is
banned only by two different admins (see graph.bans): `ban` of one needs --admin, and the
first admin's ban only records the request, printing (with --json)

                 {"requested": EMAIL, "by": ADMIN_EMAIL, "applied": false}

An unknown e-mail, a member named by --admin who is not an admin, a founder or an admin
without --admin, a walk longer than --time-limit, or a graph engine that fails or times out
exits with code 2 and one line on stderr.
"""

from __future__ import annotations

import json
import time
from typing import Any

import click
from flask.cli import with_appcontext

from graph import bans, members, roles
from graph.engine import EngineError
from graph.errors import DomainError, Forbidden
from trustnet.actions.sanctions import ban_member, unban_member
from trustnet.command_group import fail, main, with_base_url
from trustnet.services import graph_engine, plus_apart


def _emails(people: list[members.Someone]) -> list[str]:
    return sorted(person.email for person in people)


@main.command("ban")
@click.argument("email")
@click.option("--reason", required=True, help="Why: recorded and sent to the member.")
@click.option("--dry-run", is_flag=True, help="Print what the ban would do; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--time-limit", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Give up, changing nothing, if walking below the member takes longer.")
@click.option("--admin", "admin_email", default=None, metavar="EMAIL",
              help="The admin acting (needed to ban a founder or an admin).")
@with_appcontext
def ban_command(email: str, reason: str, dry_run: bool, as_json: bool,
                time_limit: float | None, admin_email: str | None) -> None:
    """Ban a member, with the cascade through the sponsorship graph."""
    deadline = None if time_limit is None else time.monotonic() + time_limit
    try:
        member = members.require_member_by_email(graph_engine(), email, plus_apart())
        actor = _acting_admin(admin_email)
        actor_id = actor.id if actor else None
        if dry_run:
            outcome: bans.BanPlan | bans.BanResult | bans.BanRequested = bans.plan_ban(
                graph_engine(), member.id, deadline=deadline)
        else:
            with with_base_url():
                outcome = ban_member(actor_id, member.id, reason, deadline=deadline)
    except (DomainError, EngineError) as error:
        fail(str(error))
    if isinstance(outcome, bans.BanRequested):
        _report_request(member.email, actor.email if actor else "", outcome, as_json)
        return
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


def _acting_admin(email: str | None) -> members.Member | None:
    """The admin named by --admin, or None when none is named; DomainError if not an admin."""
    if email is None:
        return None
    actor = members.require_member_by_email(graph_engine(), email, plus_apart())
    if not actor.admin:
        raise Forbidden("%(email)s is not an admin", email=email)
    return actor


def _report_request(email: str, admin_email: str, requested: bans.BanRequested,
                    as_json: bool) -> None:
    """Say that the ban of a founder or an admin now waits for a second admin."""
    if as_json:
        click.echo(json.dumps({"requested": email, "by": admin_email, "applied": False}))
    elif requested.again:
        click.echo(f"{admin_email} already asked for the ban of {email}; "
                   "a second admin must confirm it.")
    else:
        click.echo(f"{email} is a founder or an admin: {admin_email} asked for the ban; a "
                   f"second admin must confirm it within {bans.REQUEST_DAYS} days.")


@main.command("unban")
@click.argument("email")
@click.option("--reason", default="", help="Why the ban is lifted (recorded).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def unban_command(email: str, reason: str, as_json: bool) -> None:
    """Lift a member's ban: re-activate whom it suspended, withdraw its strikes."""
    try:
        member = members.require_member_by_email(graph_engine(), email, plus_apart())
        with with_base_url():
            result = unban_member(None, member.id, reason)
    except (DomainError, EngineError) as error:
        fail(str(error))
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
        member = members.require_member_by_email(graph_engine(), email, plus_apart())
        roles.set_admin(graph_engine(), None, member.id, admin)
    except DomainError as error:
        fail(str(error))
