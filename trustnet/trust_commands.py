"""`trustnet path` and `trustnet circle`: trust as operators and scripts see it.

With --json each prints one JSON object whose shape is stable:

    path A B    {"from": A, "to": B, "degree": 2, "path": [A, X, B], "strength": 1}
                ("degree": null, "path": null, "strength": 0 when further than the maximum)
    circle A    {"member": A, "hops": K, "members": [{"email": E, "degree": D}, ...]}

Members are named by e-mail; an unknown one exits with code 2 and one line on stderr.
"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from graph import members, trust
from trustnet.command_group import fail, main
from trustnet.services import graph_engine, plus_apart

HOP_COUNT = click.IntRange(trust.HOPS[0], trust.HOPS[-1])


def _member(email: str) -> members.Member:
    """The member with this e-mail, or exit with code 2."""
    member = members.find_member_by_email(graph_engine(), email, plus_apart())
    if member is None:
        fail(f"no member with e-mail {email}")
    return member


@main.command("path")
@click.argument("from_email", metavar="A_EMAIL")
@click.argument("to_email", metavar="B_EMAIL")
@click.option("--max-hops", type=HOP_COUNT, default=None,
              help="Longest path sought (default: TRUSTNET_MAX_DEGREE).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def path_command(from_email: str, to_email: str, max_hops: int | None, as_json: bool) -> None:
    """How member A reaches member B: degree, a shortest trust path, and its strength."""
    source, target = _member(from_email), _member(to_email)
    max_hops = max_hops or current_app.config["TRUSTNET_MAX_DEGREE"]
    found = trust.trust_path(graph_engine(), source.id, target.id, max_hops)
    emails = None if found.path is None else [step.email for step in found.path]
    if as_json:
        click.echo(json.dumps({"from": source.email, "to": target.email,
                               "degree": found.degree, "path": emails,
                               "strength": found.strength}))
    elif emails is None:
        click.echo(f"{source.email} and {target.email} are further than {max_hops} steps apart.")
    else:
        click.echo(" -> ".join(emails))
        click.echo(f"degree {found.degree}, strength {found.strength}")


@main.command("circle")
@click.argument("email", metavar="A_EMAIL")
@click.option("--hops", type=HOP_COUNT, default=None,
              help="How far to look (default: TRUSTNET_MAX_DEGREE).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def circle_command(email: str, hops: int | None, as_json: bool) -> None:
    """Every active member within HOPS of member A, by degree then e-mail."""
    member = _member(email)
    hops = hops or current_app.config["TRUSTNET_MAX_DEGREE"]
    circle = trust.circle_members(graph_engine(), member.id, hops)
    if as_json:
        click.echo(json.dumps({"member": member.email, "hops": hops, "members": [
            {"email": other.email, "degree": other.degree} for other in circle]}))
    else:
        for other in circle:
            click.echo(f"{other.degree}\t{other.email}")
