"""Links that carry a signed token: invitation, set-password (reset and claim), sponsor-me.

Each purpose has its own salt and lifetime. A set-password token carries the member's
session version, which setting the password raises, so the link works once.
"""

from __future__ import annotations

from flask import current_app, url_for

from graph.members import Member
from trustnet.security import (
    PURPOSE_INVITATION,
    PURPOSE_PASSWORD,
    PURPOSE_SPONSOR_ME,
    sign,
    unsign,
)

DAY = 86_400
SPONSOR_ME_DAYS = 60


def invitation_link(secret: str) -> str:
    """The absolute link that registers the invitee of this invitation secret."""
    return url_for("auth.join", token=sign(PURPOSE_INVITATION, secret), _external=True)


def invitation_secret(token: str, *, any_age: bool = False) -> str | None:
    """The invitation secret of a link token, or None if forged or (unless any_age) too old."""
    max_age = None if any_age else current_app.config["TRUSTNET_INVITE_DAYS"] * DAY
    secret = unsign(PURPOSE_INVITATION, token, max_age)
    return secret if isinstance(secret, str) else None


def password_link(member: Member, *, claim: bool) -> str:
    """A single-use link to set the password: a reset (hours) or an account claim (days)."""
    token = sign(PURPOSE_PASSWORD, {"m": member.id, "v": member.session_version, "c": claim})
    return url_for("auth.claim" if claim else "auth.reset", token=token, _external=True)


def password_token(token: str, *, claim: bool) -> tuple[str, int] | None:
    """(member id, session version) of a valid set-password token of that kind, else None."""
    config = current_app.config
    if claim:
        max_age = config["TRUSTNET_CLAIM_DAYS"] * DAY
    else:
        max_age = config["TRUSTNET_RESET_HOURS"] * 3600
    payload = unsign(PURPOSE_PASSWORD, token, max_age)
    if not isinstance(payload, dict) or payload.get("c") is not claim:
        return None
    return str(payload["m"]), int(payload["v"])


def sponsor_me_link(member_id: str) -> str:
    """The link a pending newcomer shares with members who could sponsor them."""
    return url_for("member.sponsor", token=sign(PURPOSE_SPONSOR_ME, member_id), _external=True)


def sponsor_me_member(token: str) -> str | None:
    """The member id of a sponsor-me token, or None."""
    member_id = unsign(PURPOSE_SPONSOR_ME, token, SPONSOR_ME_DAYS * DAY)
    return member_id if isinstance(member_id, str) else None
