"""The mail that moderation sends: ban notices (with the appeal link), strike notices to the
sponsors of a banned member, suspensions and reactivations, lifted bans, and the outcome of
appeals. Each goes with a notification in the app, written by the statement of the decision
(graph.notifications); the mail of a kind a member turned off in Settings is not sent.

Each mail speaks the recipient's saved language (their graph member's `locale`), else the
community's (TRUSTNET_DEFAULT_LOCALE): never the language of the admin whose click sent it."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from graph.bans import BanResult
from graph.members import Someone, get_member
from graph.notifications import wanting_mail
from trustnet.i18n import mail_language, member_locale
from trustnet.links import absolute_url
from trustnet.mail import one_connection, send_mail
from trustnet.moderation.appeal_links import appeal_link
from trustnet.services import graph_engine


def recipient_locale(member_id: str | None) -> str:
    """The language of a mail to a member (see trustnet.i18n.member_locale)."""
    member = get_member(graph_engine(), member_id) if member_id else None
    return member_locale(member.locale if member is not None else None)


def _wanting(people: list[Someone], kind: str) -> list[Someone]:
    """Those of these members who want the mail of `kind` (graph.notifications.MAIL_KINDS)."""
    wanted = wanting_mail(graph_engine(), [person.id for person in people], kind)
    return [person for person in people if person.id in wanted]


def send_ban_notices(result: BanResult, reason: str) -> None:
    """Tell the banned member why and how to appeal; tell each struck sponsor, and each
    member the ban suspended."""
    with mail_language(recipient_locale(result.member.id)):
        send_mail(result.member.email, _("Your TrustNet account is banned"),
                  render_template("mail/ban_notice.txt", member=result.member, reason=reason,
                                  link=appeal_link(result.member.id)))
    send_suspension_notices(result.member, result.suspended)
    for sponsor in _wanting(result.strikes, "strike"):
        with mail_language(recipient_locale(sponsor.id)):
            send_mail(sponsor.email, _("A member you sponsored was banned"),
                      render_template("mail/strike_notice.txt", sponsor=sponsor,
                                      banned=result.member, reason=reason))


def send_suspension_notices(banned: Someone, suspended: list[Someone]) -> None:
    """Tell each member whom the ban of `banned` suspended (and who wants that mail) how to
    ask for their account back: during the ban's request, or after its background cascade
    (trustnet.actions.sanctions.start_job)."""
    with one_connection():
        for member in _wanting(suspended, "sanction"):
            with mail_language(recipient_locale(member.id)):
                send_mail(member.email, _("Your TrustNet account is suspended"),
                          render_template("mail/suspension_notice.txt", member=member,
                                          banned=banned,
                                          link=absolute_url("moderation.suspended")))


def send_unban_notice(member: Someone, reactivated: list[Someone]) -> None:
    """Tell a member their ban was lifted, and each member it reactivated."""
    with mail_language(recipient_locale(member.id)):
        send_mail(member.email, _("Your TrustNet ban was lifted"),
                  render_template("mail/unban_notice.txt", member=member))
    with one_connection():
        for other in _wanting(reactivated, "sanction"):
            with mail_language(recipient_locale(other.id)):
                send_mail(other.email, _("Your TrustNet account is active again"),
                          render_template("mail/reactivation_notice.txt", member=other,
                                          link=absolute_url("member.home")))


def send_appeal_outcome(email: str, name: str, decision: str, note: str,
                        member_id: str | None = None) -> None:
    """Tell a member what became of their appeal (unless they turned that mail off)."""
    if member_id and not wanting_mail(graph_engine(), [member_id], "appeal"):
        return
    with mail_language(recipient_locale(member_id)):
        send_mail(email, _("The decision on your TrustNet appeal"),
                  render_template("mail/appeal_outcome.txt", name=name, granted=decision ==
                                  "granted", note=note))
