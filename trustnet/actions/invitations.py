"""Sending an invitation and joining through one, with the mails they send."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from graph import invitations, members
from trustnet.actions.addresses import checked_address
from trustnet.i18n import mail_language
from trustnet.links import CONFIRM_ADDRESS_DAYS, confirm_address_link, invitation_link
from trustnet.login import SignedInMember
from trustnet.mail import mail_member_in_background, send_mail
from trustnet.security import hash_password, new_invitation_token
from trustnet.services import graph_engine, plus_apart


def send_invitation(sponsor: SignedInMember, email: str, note: str) -> tuple[str, str]:
    """The sponsor invites an address; returns the invitation link and the address mailed.
    Effects: the invitation (one statement, graph.invitations.invite: the quota, the day's
    mail limit and the sponsor's right to invite checked there), then a mail to the invited
    address, in the sponsor's language (the invitee has no setting), with the link.
    Invalid for an address that is not one; Conflict or Forbidden when refused."""
    config = current_app.config
    invitee = checked_address(email)  # the mailbox invited, and no other
    secret, secret_hash = new_invitation_token()
    invitations.invite(
        graph_engine(), sponsor.id, invitee, note, secret_hash,
        default_quota=config["TRUSTNET_INVITE_QUOTA"],
        lifetime_s=config["TRUSTNET_INVITE_DAYS"] * 86_400, plus_apart=plus_apart(),
        per_day=config["TRUSTNET_INVITE_MAILS_PER_DAY"],
    )
    link = invitation_link(secret)
    with mail_language():  # the invitee has no setting: the inviter's language
        subject = _("%(name)s invites you to TrustNet", name=sponsor.name)
        body = render_template("mail/invitation.txt", sponsor=sponsor, note=note, link=link,
                               days=config["TRUSTNET_INVITE_DAYS"])
    send_mail(invitee, subject, body)
    return link, invitee


def redeem_invitation(secret_hash: str, name: str, password: str, *,
                      charter_version: int | None = None,
                      locale: str | None = None) -> members.Member:
    """Join through the invitation of this token hash; returns the new member. Effects: the
    member, sponsored by the inviter, with the invitation used up and their acceptance of
    the charter version they were shown recorded, and `locale` (the language they joined in)
    saved as theirs (one statement,
    graph.invitations.redeem_invitation; a pending member until enough sponsors); then the
    mail with the link that confirms their address. Conflict or NotFound when the
    invitation cannot be used."""
    member_id = invitations.redeem_invitation(
        graph_engine(), secret_hash, name, hash_password(password),
        sponsors_required=current_app.config["TRUSTNET_SPONSORS_REQUIRED"],
        charter_version=charter_version, locale=locale,
    )[0]
    member = members.get_member(graph_engine(), member_id)
    assert member is not None
    mail_address_confirmation(member)
    return member


def mail_address_confirmation(member: members.Member) -> None:
    """Mail the link that confirms the member's address: the inviter saw the invitation
    link too, so only a link sent to the address proves that its owner registered."""
    mail_member_in_background(member.email, _confirmation_mail)


def _confirmation_mail(member: members.Member) -> tuple[str, str]:
    """Subject and body of an address confirmation mail."""
    link = confirm_address_link(member.id)
    return (_("Confirm your address to activate your TrustNet account"),
            render_template("mail/confirm_address.txt", member=member, link=link,
                            days=CONFIRM_ADDRESS_DAYS))
