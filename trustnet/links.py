"""Absolute links, and the links that carry a signed token: invitation, address
confirmation, set-password (reset and claim), sponsor-me.

Every absolute link comes from TRUSTNET_BASE_URL, never from the request's Host header:
a forged Host must not put an attacker's address into a mailed reset link. Each token
purpose has its own salt and lifetime. A set-password token carries the member's session
version, which setting the password raises, so the link works once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for

from graph.members import Member
from trustnet.security import (
    PURPOSE_CONFIRM_ADDRESS,
    PURPOSE_INVITATION,
    PURPOSE_PASSWORD,
    PURPOSE_SPONSOR_ME,
    sign,
    unsign,
)

DAY = 86_400
SPONSOR_ME_DAYS = 60
CONFIRM_ADDRESS_DAYS = 2


def absolute_url(endpoint: str, **values: Any) -> str:
    """The link to endpoint under TRUSTNET_BASE_URL (scheme, host and path prefix)."""
    base = urlsplit(current_app.config["TRUSTNET_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def invitation_link(secret: str) -> str:
    """The absolute link that registers the invitee of this invitation secret."""
    return absolute_url("auth.join", token=sign(PURPOSE_INVITATION, secret))


def invitation_secret(token: str, *, any_age: bool = False) -> str | None:
    """The invitation secret of a link token, or None if forged or (unless any_age) too old."""
    max_age = None if any_age else current_app.config["TRUSTNET_INVITE_DAYS"] * DAY
    secret = unsign(PURPOSE_INVITATION, token, max_age)
    return secret if isinstance(secret, str) else None


def confirm_address_link(member_id: str) -> str:
    """The link, mailed to a newcomer's address, that proves they read that mailbox."""
    return absolute_url("auth.confirm", token=sign(PURPOSE_CONFIRM_ADDRESS, member_id))


def confirm_address_member(token: str) -> str | None:
    """The member id of a valid, unexpired address confirmation token, or None."""
    member_id = unsign(PURPOSE_CONFIRM_ADDRESS, token, CONFIRM_ADDRESS_DAYS * DAY)
    return member_id if isinstance(member_id, str) else None


def password_link(member: Member, *, claim: bool) -> str:
    """A single-use link to set the password: a reset (hours) or an account claim (days)."""
    token = sign(PURPOSE_PASSWORD, {"m": member.id, "v": member.session_version, "c": claim})
    return absolute_url("auth.claim" if claim else "auth.reset", token=token)


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
    return absolute_url("member.sponsor", token=sign(PURPOSE_SPONSOR_ME, member_id))


def sponsor_me_member(token: str) -> str | None:
    """The member id of a sponsor-me token, or None."""
    member_id = unsign(PURPOSE_SPONSOR_ME, token, SPONSOR_ME_DAYS * DAY)
    return member_id if isinstance(member_id, str) else None


def safe_next(target: str | None) -> str:
    """Follow ?next= only to a path of this site (else the member's home)."""
    if target:
        parts = urlsplit(target)
        local = not parts.scheme and not parts.netloc
        if local and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("member.home")
