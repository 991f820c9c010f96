"""Writing to an offer's owner and answering in a conversation, with the mails they send, and
reading a conversation."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from graph import conversations, notifications
from trustnet.i18n import mail_language, member_locale
from trustnet.links import absolute_url
from trustnet.login import SignedInMember
from trustnet.mail import send_mail
from trustnet.services import graph_engine


def write_to_owner(sender: SignedInMember, offer_id: str, body: str, *, max_hops: int,
                   form_key: str | None) -> conversations.Sent:
    """The sender writes to the owner of an offer they may see (within max_hops). Effects:
    the message, in the conversation it opens or continues (one statement,
    graph.conversations.start_conversation) with the owner's notification; unless the same
    form was sent before: a mail to the owner in their language if they want it, and a
    copy to the sender when the conversation is new. An offer out of the sender's reach is
    NotFound."""
    sent = conversations.start_conversation(graph_engine(), sender.id, offer_id, body, max_hops,
                                            form_key=form_key)
    if sent.new:  # a form sent again tells nobody again
        link = absolute_url("offers.conversation", conversation_id=sent.conversation_id)
        _notify(sender, sent, body.strip(), link)
        if sent.started:
            _mail_copy(sender, sent, body.strip(), link)
    return sent


def reply(sender: SignedInMember, conversation_id: str, body: str, *,
          form_key: str | None) -> conversations.Sent:
    """The sender answers in a conversation they take part in. Effects: the message (one
    statement, graph.conversations.reply) with the other participant's notification; unless
    the same form was sent before, a mail to them in their language if they want it.
    Conflict when the conversation is closed to them."""
    sent = conversations.reply(graph_engine(), sender.id, conversation_id, body,
                               form_key=form_key)
    if sent.new:  # a form sent again tells nobody again
        _notify(sender, sent, body.strip(),
                absolute_url("offers.conversation", conversation_id=conversation_id))
    return sent


def read_conversation(member_id: str, conversation_id: str) -> None:
    """The member opens a conversation from their list: its messages to them are marked read
    (graph.notifications.mark_conversation_read). NotFound when they take no part in it."""
    conversations.conversation_for(graph_engine(), member_id, conversation_id)
    notifications.mark_conversation_read(graph_engine(), member_id, conversation_id)


def _mail_copy(sender: SignedInMember, sent: conversations.Sent, message: str,
               link: str) -> None:
    """E-mail the sender a copy of the message that opened the conversation."""
    with mail_language(sender.locale):
        subject = (_("You offered %(name)s your help with “%(title)s”", name=sent.to_name,
                     title=sent.offer_title) if sent.request else
                   _("You wrote to %(name)s about “%(title)s”", name=sent.to_name,
                     title=sent.offer_title))
        body = render_template("mail/interest_sent.txt", sent=sent, message=message, link=link)
    send_mail(sender.email, subject, body)


def _notify(sender: SignedInMember, sent: conversations.Sent, message: str, link: str) -> None:
    """E-mail the other participant the message just written to them, unless they turned
    that mail off (the notification in the app, written with the message, tells them
    anyway)."""
    if not sent.to_wants_mail:
        return
    with mail_language(member_locale(sent.to_locale)):
        subject = (_("%(name)s offers to help with “%(title)s”", name=sender.name,
                     title=sent.offer_title) if sent.request and sent.started else
                   _("%(name)s wrote to you about “%(title)s”", name=sender.name,
                     title=sent.offer_title))
        body = render_template("mail/message.txt", sender=sender.name, sent=sent,
                               message=message, link=link)
    send_mail(sent.to_email, subject, body)
