"""The "me" page (my profile, settings, data, leaving) and my notifications: the list, its
unread count in the navigation, and marking them read (POST only, with CSRF)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from graph import notifications
from trustnet.actions.conversations import read_conversation
from trustnet.guards import require_member
from trustnet.member.forms import ConfirmForm
from trustnet.services import graph_engine

blueprint = Blueprint("me", __name__)
blueprint.before_request(require_member)

# Where each kind of notification leads, when it names no conversation.
_PAGE_OF_KIND = {
    "invitation_accepted": "member.network",
    "vouch_offered": "member.network",
    "vouch_accepted": "member.network",
    "strike": "member.invitations",  # the standing of a sponsor is shown there
    "suspended": "moderation.suspended",
    "sponsor_left": "member.network",  # where their other contacts are
}


@blueprint.app_template_global()
def unread_notifications() -> int:
    """My unread notifications, for the navigation badge (bounded: see graph.notifications),
    read with the signed-in member."""
    return int(current_user.unread)


@blueprint.app_template_global()
def unread_shown_max() -> int:
    """Past this many unread notifications, the badge says "99+"."""
    return notifications.UNREAD_SHOWN_MAX


@blueprint.get("/me")
def me():
    """My corner: my profile, settings, my data, leaving, in one place."""
    return render_template("me/me.html")


@blueprint.get("/notifications")
def notifications_page():
    """My notifications, newest first, a page at a time."""
    page = notifications.page_of(graph_engine(), current_user.id,
                                 request.args.get("page", 1, type=int))
    return render_template("me/notifications.html", page=page, confirm_form=ConfirmForm())


@blueprint.post("/notifications/<notification_id>/open")
def open_notification(notification_id: str):
    """Mark one of my notifications read, and go to what it is about."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("me.notifications_page"))
    target = notifications.open_notification(graph_engine(), current_user.id, notification_id)
    if target.conversation_id:
        return redirect(url_for("offers.conversation", conversation_id=target.conversation_id))
    return redirect(url_for(_PAGE_OF_KIND.get(target.kind, "member.home")))


@blueprint.post("/notifications/read")
def mark_all_read():
    """Mark every notification of mine read."""
    if ConfirmForm().validate_on_submit():
        notifications.mark_all_read(graph_engine(), current_user.id)
    return redirect(url_for("me.notifications_page"))


@blueprint.post("/conversations/<conversation_id>/open")
def open_conversation(conversation_id: str):
    """Read a conversation from "Messages": its messages to me are read from now on."""
    if ConfirmForm().validate_on_submit():
        read_conversation(current_user.id, conversation_id)
    return redirect(url_for("offers.conversation", conversation_id=conversation_id))
