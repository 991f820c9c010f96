"""Checking who signs in, and mailing a link to set a forgotten password."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from graph import members
from trustnet.actions.invitations import mail_address_confirmation
from trustnet.auth import attempts
from trustnet.links import password_link
from trustnet.mail import mail_member_in_background
from trustnet.security import check_password, hash_password
from trustnet.services import graph_engine, plus_apart, services


def check_sign_in(address: str, password: str) -> members.Member | None:
    """The member whose address and password these are, or None: an unknown address and a
    wrong password get the same answer, in the same time (the password is hashed either
    way). Told only to whoever knows the password, a banned member is returned as they are,
    with no other effect. Otherwise, effects: a password hashed with outdated parameters is
    hashed again and saved (graph.members.rehash_password); a member who has not confirmed
    their address is mailed a new confirmation link (and may not sign in yet)."""
    member = members.find_member_by_email(graph_engine(), address, plus_apart())
    ok, needs_rehash = check_password(member.password_hash if member else None, password)
    if not ok or member is None:
        return None
    if member.status == members.Status.BANNED:
        return member
    if needs_rehash:
        members.rehash_password(graph_engine(), member.id, member.password_hash or "",
                                hash_password(password))
    if not member.confirmed:
        mail_address_confirmation(member)
    return member


def mail_password_link(address: str) -> None:
    """Mail a single-use link to set a new password to the member of this address, if there
    is one; the caller is never told whether there is. Effects: on a full disk, nothing
    (EngineUnavailable, whatever the address: the mail could be lost before it is sent);
    past the limit of such mails, nothing (attempts.TooManyAttempts); else the mail, in the
    member's language, sent in the background."""
    services().check_free_space()
    attempts.reserve_reset_mail(address)
    mail_member_in_background(address, _reset_mail)


def _reset_mail(member: members.Member) -> tuple[str, str]:
    """Subject and body of a password-reset mail."""
    link = password_link(member, claim=False)
    return (_("Set a new TrustNet password"),
            render_template("mail/reset.txt", member=member, link=link))
