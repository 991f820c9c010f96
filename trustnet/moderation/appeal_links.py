"""Signed links of moderation: a banned member's appeal, a suspended member's vouch-for-me."""

from __future__ import annotations

from trustnet.links import absolute_url
from trustnet.security import sign, unsign

PURPOSE_APPEAL = "appeal"
PURPOSE_REINSTATE = "reinstate"
APPEAL_DAYS = 30
REINSTATE_DAYS = 60
DAY = 86_400


def appeal_link(member_id: str) -> str:
    """The link in a ban notice: the banned member cannot sign in, so it lets them appeal."""
    return absolute_url("moderation.appeal_ban", token=sign(PURPOSE_APPEAL, member_id))


def appeal_member(token: str) -> str | None:
    """The member id of an appeal token, or None if forged or too old."""
    member_id = unsign(PURPOSE_APPEAL, token, APPEAL_DAYS * DAY)
    return member_id if isinstance(member_id, str) else None


def reinstate_link(member_id: str) -> str:
    """The link a suspended member shares with active members who could vouch for them."""
    return absolute_url("moderation.reinstate", token=sign(PURPOSE_REINSTATE, member_id))


def reinstate_member(token: str) -> str | None:
    """The member id of a vouch-for-me token, or None."""
    member_id = unsign(PURPOSE_REINSTATE, token, REINSTATE_DAYS * DAY)
    return member_id if isinstance(member_id, str) else None
