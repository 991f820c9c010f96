"""Members' side of moderation: report an offer or a member, the suspension page, vouching
for a suspended member, and appeals (a suspended member from their page; a banned member,
who cannot sign in, through the link of their ban notice)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph import abuse_reports, bans, members, offers, sanction_appeals
from graph.errors import DomainError, NotFound
from trustnet.actions.vouches import vouch_for_suspended
from trustnet.errors import refusal_message
from trustnet.guards import require_member
from trustnet.member.forms import ConfirmForm
from trustnet.moderation.appeal_links import appeal_member, reinstate_link, reinstate_member
from trustnet.moderation.forms import AppealForm, ReportForm
from trustnet.services import graph_engine

blueprint = Blueprint("moderation", __name__)

# Who may open what here: a banned member's appeal needs only its link; the suspension
# page and its appeal are for suspended members; everything else for active members.
PUBLIC_ENDPOINTS = frozenset({"moderation.appeal_ban"})
SUSPENDED_ENDPOINTS = frozenset({"moderation.suspended", "moderation.appeal_suspension"})


@blueprint.before_request
def require_audience():
    """Send each visitor to the part of this blueprint that is theirs."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if request.endpoint in SUSPENDED_ENDPOINTS:
        return None if current_user.status == "suspended" else redirect(url_for("member.home"))
    return require_member()


@blueprint.get("/suspended")
def suspended():
    """Why the member is suspended, who could vouch for them, and their appeal."""
    return _suspended_page(AppealForm())


def _suspended_page(form: AppealForm, status: int = 200):
    """The suspension page, its appeal form as given (with its errors and text, when
    refused)."""
    engine = graph_engine()
    return render_template(
        "moderation/suspended.html", vouchers=bans.could_vouch(engine, current_user.id),
        link=reinstate_link(current_user.id), form=form,
        may_appeal=sanction_appeals.may_appeal(engine, current_user.id),
    ), status


@blueprint.post("/suspended/appeal")
def appeal_suspension():
    """A suspended member appeals, once."""
    form = AppealForm()
    if not form.validate_on_submit():
        return _suspended_page(form, 400)
    try:
        sanction_appeals.file_appeal(graph_engine(), current_user.id, form.text.data)
    except DomainError as error:
        flash(refusal_message(error), "error")
        return _suspended_page(form, 400)
    flash(_("Your appeal was sent. You will get the decision by e-mail."), "success")
    return redirect(url_for("moderation.suspended"))


@blueprint.route("/appeal/<token>", methods=["GET", "POST"])
def appeal_ban(token: str):
    """A banned member appeals from the link of their ban notice, once."""
    member_id = appeal_member(token)
    member = members.get_member(graph_engine(), member_id) if member_id else None
    if member is None or member.status != "banned":
        raise NotFound()
    form = AppealForm()
    sent = False
    if form.validate_on_submit():
        try:
            sanction_appeals.file_appeal(graph_engine(), member.id, form.text.data)
        except DomainError as error:  # the form may be gone: the page says why
            flash(refusal_message(error), "error")
        else:
            sent = True
    may_appeal = not sent and sanction_appeals.may_appeal(graph_engine(), member.id)
    return render_template("moderation/appeal_ban.html", form=form, member=member,
                           sent=sent, may_appeal=may_appeal)


@blueprint.route("/vouch-for/<token>", methods=["GET", "POST"])
def reinstate(token: str):
    """An active member follows a suspended member's link and vouches for them."""
    member_id = reinstate_member(token)
    member = members.get_member(graph_engine(), member_id) if member_id else None
    if member is None:
        raise NotFound()
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            count = vouch_for_suspended(current_user.id, member.id)
        except DomainError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_("You now sponsor %(name)s: %(count)d member(s) are active again.",
                    name=member.name, count=count), "success")
        return redirect(url_for("member.network"))
    return render_template("moderation/reinstate.html", member=member, form=form)


@blueprint.route("/report/<kind>/<subject_id>", methods=["GET", "POST"])
def report(kind: str, subject_id: str):
    """Report an offer, a member or a message to the admins; an offer I may not see is not
    found here either, as on its own page (a member or a message: when the report is sent)."""
    if kind not in ("offer", "member", "message"):
        raise NotFound()
    max_hops = current_app.config["TRUSTNET_MAX_DEGREE"]
    if kind == "offer":
        offers.offer_for(graph_engine(), current_user.id, subject_id, max_hops)
    form = ReportForm()
    if form.validate_on_submit():
        abuse_reports.report(graph_engine(), current_user.id, kind, subject_id, form.reason.data,
                          form.text.data or "", max_hops=max_hops,
                          form_key=form.form_key.data)
        flash(_("Thank you: the admins will look at your report."), "success")
        return redirect(url_for("member.home"))
    return render_template("moderation/report.html", form=form, kind=kind)
