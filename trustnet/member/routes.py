"""Members' side: feed, network, invitations, vouches, admission, settings."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from graph import bans, invitations, members, notifications, offers, places, sponsorship, trust
from graph.errors import DomainError, NotFound
from graph.members import FirstSteps
from trustnet.actions import vouches
from trustnet.actions.invitations import send_invitation
from trustnet.auth.attempts import TooManyAttempts, recheck_password
from trustnet.errors import refusal_message
from trustnet.guards import require_member
from trustnet.i18n import browser_locale
from trustnet.links import sponsor_me_link, sponsor_me_member
from trustnet.member.feed_filters import filter_fields
from trustnet.member.forms import (
    BioForm,
    ConfirmForm,
    HomeForm,
    InviteForm,
    LanguageForm,
    MailForm,
    PasswordChangeForm,
    VouchForm,
)
from trustnet.offers.forms import FeedFilterForm, degree_choices
from trustnet.places import chosen_place
from trustnet.security import hash_password
from trustnet.services import graph_engine

blueprint = Blueprint("member", __name__)
blueprint.before_request(require_member)


@blueprint.get("/")
def home():
    """The feed: offers I may see, newest first, with filters and pages."""
    max_degree = current_app.config["TRUSTNET_MAX_DEGREE"]
    form = FeedFilterForm(request.args)
    form.degree.choices = degree_choices(max_degree)
    page = offers.feed(graph_engine(), current_user.id, max_degree,
                       page=request.args.get("page", 1, type=int), **form.feed_filters())
    homeless = bool(form.within.data) and places.home_of(graph_engine(), current_user.id) is None
    return render_template("member/home.html", form=form, feed=page, homeless=homeless,
                           filter_fields=filter_fields(form),
                           filters={field.name: field.data for field in form if field.data},
                           first_steps=_first_steps_to_show(),
                           whole_network=not current_user.hides_whole_network,
                           confirm_form=ConfirmForm())


def _first_steps_to_show() -> FirstSteps | None:
    """The newcomer's checklist: shown in their first days (graph.members.CHECKLIST_DAYS)
    until all done."""
    steps = current_user.first_steps
    if steps is None or steps.all_done:
        return None
    return steps


@blueprint.post("/feed/whole-network")
def whole_network():
    """Show or hide, in my feed, whole-network offers of members beyond my circle (saved)."""
    if ConfirmForm().validate_on_submit():
        offers.show_whole_network(graph_engine(), current_user.id,
                                  request.form.get("shown") == "1")
    return redirect(url_for("member.home"))


@blueprint.get("/members/<member_id>")
def profile(member_id: str):
    """A member I may see: how I reach them, their bio, the offers they let me see, the
    references others left about them and what I can do about them (report, block); on my
    own, the form of my bio."""
    return _profile_page(member_id, BioForm(prefix="bio"))


def _profile_page(member_id: str, bio_form: BioForm, status: int = 200):
    """A profile I may see (404 otherwise); on mine, `bio_form` filled with my bio."""
    found = offers.profile_for(graph_engine(), current_user.id, member_id,
                               current_app.config["TRUSTNET_MAX_DEGREE"])
    if not bio_form.is_submitted():
        bio_form.bio.data = found.bio
    return render_template("member/profile.html", profile=found, bio_form=bio_form,
                           confirm_form=ConfirmForm()), status


@blueprint.post("/profile/bio")
def edit_bio():
    """Change the bio of my profile."""
    form = BioForm(prefix="bio")
    if not form.validate_on_submit():
        return _profile_page(current_user.id, form, 400)
    members.set_bio(graph_engine(), current_user.id, form.bio.data)
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("member.profile", member_id=current_user.id))


@blueprint.get("/network")
def network():
    """Who sponsored me, whom I sponsored, vouches waiting for me, invitations left."""
    return _network_page(VouchForm())


def _network_page(vouch_form: VouchForm, status: int = 200):
    """My network, its vouch form as given (with its errors and input, when refused)."""
    engine = graph_engine()
    return render_template(
        "member/network.html",
        network=sponsorship.network_of(engine, current_user.id),
        vouches=sponsorship.pending_vouches(engine, current_user.id),
        invitations_left=invitations.invitations_left(
            engine, current_user.id, current_app.config["TRUSTNET_INVITE_QUOTA"]),
        circle=trust.circle_counts(engine, current_user.id,
                                   current_app.config["TRUSTNET_MAX_DEGREE"]),
        vouch_form=vouch_form, confirm_form=ConfirmForm(),
    ), status


# How far "My network" draws: me, my contacts and their contacts.
DRAWN_DEGREES = 2


@blueprint.get("/network.json")
def network_data():
    """My network as a graph for static/js/network.js: me, my contacts and the 2nd degree
    (active members, from trust.circle_members), and the sponsorships between them."""
    engine = graph_engine()
    circle = trust.circle_members(engine, current_user.id,
                                  min(DRAWN_DEGREES, current_app.config["TRUSTNET_MAX_DEGREE"]))
    nodes = [{"id": current_user.id, "label": _("you"), "degree": 0}]
    nodes += [{"id": m.id, "label": m.name, "degree": m.degree} for m in circle]
    ids = [node["id"] for node in nodes]
    edges = [{"source": sponsor, "target": sponsee}
             for sponsor, sponsee in sponsorship.sponsorships_among(engine, ids)]
    return {"nodes": nodes, "edges": edges}


@blueprint.route("/invitations", methods=["GET", "POST"], endpoint="invitations")
def invitations_page():
    """Send an invitation, and see those sent: pending, redeemed, revoked, expired."""
    form = InviteForm()
    engine = graph_engine()
    config = current_app.config
    if form.validate_on_submit():
        try:
            link, invitee = send_invitation(current_user, form.email.data, form.note.data or "")
        except DomainError as error:
            form.email.errors.append(refusal_message(error))
        else:
            flash(_("Invitation sent to %(email)s.", email=invitee), "success")
            return render_template("member/invitation_sent.html", link=link, email=invitee)
    return render_template(
        "member/invitations.html", form=form, confirm_form=ConfirmForm(),
        sent=invitations.list_invitations(engine, current_user.id),
        left=invitations.invitations_left(engine, current_user.id,
                                          config["TRUSTNET_INVITE_QUOTA"]),
        standing=bans.standing(engine, current_user.id),
    )


@blueprint.post("/invitations/<invitation_id>/revoke")
def revoke(invitation_id: str):
    """Withdraw one of my pending invitations."""
    if ConfirmForm().validate_on_submit():
        try:
            invitations.revoke_invitation(graph_engine(), current_user.id, invitation_id)
            flash(_("Invitation withdrawn: its link no longer works."), "success")
        except DomainError as error:
            flash(refusal_message(error), "error")
    return redirect(url_for("member.invitations"))


@blueprint.post("/vouch")
def vouch():
    """Offer to co-sponsor a member I know; they confirm before it counts. The answer is the
    same whoever the address belongs to, if anyone: the form is no directory."""
    form = VouchForm()
    if not form.validate_on_submit():
        return _network_page(form, 400)
    try:
        vouches.offer_vouch(current_user, form.email.data, form.note.data or "")
    except DomainError as error:
        flash(refusal_message(error), "error")
        return _network_page(form, 400)
    flash(_("If this address is an active member's whom you do not sponsor yet, "
            "they will see your offer to vouch for them."), "success")
    return redirect(url_for("member.network"))


@blueprint.post("/vouches/<vouch_id>/<answer>")
def answer_vouch(vouch_id: str, answer: str):
    """Accept or decline a vouch addressed to me."""
    if ConfirmForm().validate_on_submit():
        voucher = vouches.answer_vouch(current_user.id, vouch_id, answer)
        if voucher is not None:
            flash(_("%(name)s now sponsors you too.", name=voucher), "success")
        else:
            flash(_("Declined."), "info")
    return redirect(url_for("member.network"))


@blueprint.get("/pending")
def pending():
    """A newcomer waiting for more sponsors: the link to share and where they stand."""
    if current_user.status != "pending":
        return redirect(url_for("member.home"))
    net = sponsorship.network_of(graph_engine(), current_user.id)
    required = current_app.config["TRUSTNET_SPONSORS_REQUIRED"]
    return render_template("member/pending.html", link=sponsor_me_link(current_user.id),
                           sponsors=net.sponsors, required=required)


@blueprint.route("/sponsor/<token>", methods=["GET", "POST"])
def sponsor(token: str):
    """An active member follows a newcomer's sponsor-me link and confirms."""
    member_id = sponsor_me_member(token)
    newcomer = members.get_member(graph_engine(), member_id) if member_id else None
    if newcomer is None:
        raise NotFound()
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            status = sponsorship.sponsor_pending_member(
                graph_engine(), current_user.id, newcomer.id,
                required=current_app.config["TRUSTNET_SPONSORS_REQUIRED"])
        except DomainError as error:
            flash(refusal_message(error), "error")
        else:
            message = (_("%(name)s is now a member.", name=newcomer.name) if status == "active"
                       else _("Thank you: you sponsor %(name)s.", name=newcomer.name))
            flash(message, "success")
        return redirect(url_for("member.network"))
    return render_template("member/sponsor.html", newcomer=newcomer, form=form)


@blueprint.route("/settings", methods=["GET", "POST"])
def settings():
    """Change my password (which signs me out everywhere), my language, the mail I get or
    my town."""
    password_form = PasswordChangeForm(prefix="pw")
    language_form = LanguageForm(prefix="lang", locale=current_user.locale or "")
    mail_off = notifications.mail_off(graph_engine(), current_user.id)
    mail_form = MailForm(prefix="mail", data={kind: kind not in mail_off
                                              for kind in notifications.MAIL_KINDS})
    home = places.home_of(graph_engine(), current_user.id)
    home_form = HomeForm(prefix="home", place=home.label if home else "")
    if "pw-password" in request.form and password_form.validate_on_submit():
        member = members.get_member(graph_engine(), current_user.id)
        assert member is not None
        try:
            ok = recheck_password(member, password_form.current.data)
        except TooManyAttempts as refusal:
            password_form.current.errors.append(str(refusal))
            return render_template("member/settings.html", password_form=password_form,
                                   language_form=language_form, mail_form=mail_form,
                                   home_form=home_form), 429
        if not ok:
            password_form.current.errors.append(_("This is not your current password."))
        else:
            members.set_password(graph_engine(), member.id,
                                 hash_password(password_form.password.data),
                                 member.session_version)
            logout_user()
            flash(_("Password changed. Every session was signed out: sign in again."),
                  "success")
            return redirect(url_for("auth.login"))
    elif "lang-locale" in request.form and language_form.validate_on_submit():
        chosen = language_form.locale.data or None
        members.set_locale(graph_engine(), current_user.id, chosen)
        with force_locale(chosen or browser_locale()):  # say it in the language just chosen
            flash(_("Language saved."), "success")
        return redirect(url_for("member.settings"))
    elif "mail-sent" in request.form and mail_form.validate_on_submit():
        notifications.set_mail_off(graph_engine(), current_user.id,
                                   [kind for kind in notifications.MAIL_KINDS
                                    if not mail_form[kind].data])
        flash(_("Your mail preferences are saved."), "success")
        return redirect(url_for("member.settings"))
    elif "home-place" in request.form and home_form.validate_on_submit():
        resolved, place = chosen_place(graph_engine(), home_form)
        if resolved and place is None:
            home_form.place.errors.append(_("Type the name of your town."))
        elif place is not None:
            places.set_home(graph_engine(), current_user.id, place.id)
            flash(_("Your town is saved: %(town)s.", town=place.label), "success")
            return redirect(url_for("member.settings"))
    return render_template("member/settings.html", password_form=password_form,
                           language_form=language_form, mail_form=mail_form,
                           home_form=home_form)
