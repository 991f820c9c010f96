"""The mail that moderation sends: ban notices (with the appeal link), strike notices to the
sponsors of a banned member, lifted bans, and the outcome of appeals."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from graph.bans import BanResult, Someone
from trustnet.i18n import mail_language
from trustnet.mail import send_mail
from trustnet.moderation.links import appeal_link


def send_ban_notices(result: BanResult, reason: str) -> None:
    """Tell the banned member why and how to appeal; tell each struck sponsor."""
    with mail_language():
        send_mail(result.member.email, _("Your TrustNet account is banned"),
                  render_template("mail/ban_notice.txt", member=result.member, reason=reason,
                                  link=appeal_link(result.member.id)))
        for sponsor in result.strikes:
            send_mail(sponsor.email, _("A member you sponsored was banned"),
                      render_template("mail/strike_notice.txt", sponsor=sponsor,
                                      banned=result.member, reason=reason))


def send_unban_notice(member: Someone) -> None:
    """Tell a member their ban was lifted."""
    with mail_language():
        send_mail(member.email, _("Your TrustNet ban was lifted"),
                  render_template("mail/unban_notice.txt", member=member))


def send_appeal_outcome(email: str, name: str, decision: str, note: str) -> None:
    """Tell a member what became of their appeal."""
    with mail_language():
        send_mail(email, _("The decision on your TrustNet appeal"),
                  render_template("mail/appeal_outcome.txt", name=name, granted=decision ==
                                  "granted", note=note))
