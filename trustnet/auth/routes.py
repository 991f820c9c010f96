"""Public side: sign in and out, register through an invitation and confirm the address,
set a password."""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from graph import charter, invitations, members, sponsorship
from graph.errors import DomainError
from trustnet.actions.invitations import redeem_invitation
from trustnet.actions.sign_in import check_sign_in, mail_password_link
from trustnet.auth import attempts
from trustnet.auth.forms import ForgotForm, LoginForm, RegisterForm, SetPasswordForm
from trustnet.errors import refusal_message
from trustnet.i18n import browser_locale
from trustnet.links import (
    CONFIRM_ADDRESS_DAYS,
    confirm_address_member,
    invitation_secret,
    password_token,
    safe_next,
)
from trustnet.login import SignedInMember
from trustnet.member.forms import ConfirmForm
from trustnet.moderation.appeal_links import appeal_link
from trustnet.security import hash_password, token_hash
from trustnet.services import graph_engine

blueprint = Blueprint("auth", __name__)


def _sign_in(member: members.Member, remember: bool = False) -> None:
    session.clear()  # a fresh session at sign-in: no fixation, nothing carried over
    login_user(SignedInMember(member), remember=remember)
    # The new session's form token, made now: pages opened at once after sign-in would
    # each make one, and only the last cookie's would be kept ("Form expired" on the
    # others). The token this request made before the clear is forgotten first.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    generate_csrf()


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """Sign in. Unknown e-mail and wrong password get the same answer, status and time."""
    if current_user.is_authenticated:
        return redirect(url_for("member.home"))
    form = LoginForm()
    if form.validate_on_submit():
        address = form.email.data
        try:
            limits = attempts.reserve_sign_in(address)  # before any hashing: the same for all
        except attempts.TooManyAttempts as refusal:
            form.password.errors.append(str(refusal))
            return _login_page(form), 429
        member = check_sign_in(address, form.password.data)
        if member is not None and member.status == members.Status.BANNED:
            return _banned_page(member)  # told only to whoever knows the password
        if member is not None:
            if not member.confirmed:  # told only to whoever knows the password (counted)
                form.email.errors.append(_(
                    "Confirm your address first: we have sent a new link to %(email)s.",
                    email=member.email))
                return _login_page(form)
            _sign_in(member, remember=form.remember.data)
            response = redirect(safe_next(request.args.get("next")))
            attempts.sign_in_succeeded(limits, response, address)
            return response
        form.password.errors.append(_("Wrong e-mail or password."))
    return _login_page(form)


@blueprint.get("/unlock/<token>")
def unlock(token: str):
    """A mailed unlock link: this browser may sign in to the locked account again."""
    digest = attempts.unlocked_account(token)
    if digest is None:
        return render_template("auth/link_invalid.html"), 404
    flash(_("This browser may now sign in to your account: enter your password."), "info")
    response = redirect(url_for("auth.login"))
    attempts.remember_device(response, digest)
    return response


def _banned_page(member: members.Member):
    """A banned member who gave their password: say so, and open their appeal page (the
    link of their ban notice) rather than a wrong-password answer that sends them guessing."""
    flash(_("Your account is banned: you cannot sign in. You can appeal the decision here."),
          "error")
    return redirect(appeal_link(member.id))


def _login_page(form: LoginForm) -> str:
    """The sign-in page; on an empty graph it says how to create the first founder."""
    first_run = members.count_members(graph_engine()) == 0
    return render_template("auth/login.html", form=form, first_run=first_run)


@blueprint.post("/logout")
@login_required
def logout():
    """Sign out of this browser only: its session and remember-me cookie end, the member's
    other devices stay signed in (logout_everywhere ends those)."""
    _end_this_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@blueprint.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """Sign out on every device: raising the session version kills every session and
    remember-me cookie of the member, a lost phone's or a copied one's too."""
    members.end_all_sessions(graph_engine(), current_user.id)
    _end_this_session()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))


def _end_this_session() -> None:
    """Forget this browser's session and delete its remember-me cookie."""
    session.clear()
    logout_user()  # after the clear: it asks for the remember-me cookie to be deleted


def _open_invitation(token: str):
    """The invitation of a link token, or a clear error page.

    A genuine link older than invitations live is an expired invitation, not a bad link.
    """
    secret = invitation_secret(token, any_age=True)
    found = invitations.invitation_for_token(graph_engine(), token_hash(secret)) if secret else None
    if found is None:
        abort(404, _("This invitation link is not valid. Check that you copied all of it."))
    invitation, sponsor_name, sponsor_may_sponsor = found
    if invitation.status == "pending" and invitation_secret(token) is None:
        invitation = replace(invitation, status="expired")
    return invitation, sponsor_name, sponsor_may_sponsor


@blueprint.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """Register through an invitation: the only way in."""
    invitation, sponsor_name, sponsor_may_sponsor = _open_invitation(token)
    problem = {
        "redeemed": _("This invitation has already been used. If it was you, sign in."),
        "revoked": _("This invitation was withdrawn by the member who sent it."),
        "expired": _("This invitation has expired. Ask %(name)s for a new one.",
                     name=sponsor_name),
    }.get(invitation.status)
    if problem is None and not sponsor_may_sponsor:
        problem = _("The member who invited you can no longer sponsor anyone.")
    if problem:
        return render_template("auth/join_closed.html", message=problem), 410
    in_force = charter.charter_in_force(graph_engine())
    version = in_force.version if in_force else 0
    form = RegisterForm(data={"charter_version": version})
    if in_force is None:
        del form.accept_charter  # nothing to accept yet
    submitted = form.validate_on_submit()
    if submitted and (form.charter_version.data or 0) != version:
        # A new version was published while the newcomer read the page: show it instead.
        flash(_("The charter changed while you were reading it: read the new version."),
              "error")
        form.charter_version.data = version
        if in_force is not None:
            form.accept_charter.data = False
        submitted = False
    if submitted:
        secret = invitation_secret(token) or ""
        try:
            member = redeem_invitation(token_hash(secret), form.name.data, form.password.data,
                                       charter_version=version,
                                       locale=browser_locale())  # the language they joined in
        except DomainError as error:
            return render_template("auth/join_closed.html", message=refusal_message(error)), 409
        flash(_("Your account is created. To activate it, open the link we have sent to "
                "%(email)s within %(days)d days.", email=member.email,
                days=CONFIRM_ADDRESS_DAYS), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/join.html", form=form, invitation=invitation,
                           sponsor_name=sponsor_name, charter=in_force)


@blueprint.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Confirm the address from the mailed link, then sign the newcomer in.

    Confirming takes a button: mail filters open links, and a GET changes nothing.
    """
    member_id = confirm_address_member(token)
    member = members.get_member(graph_engine(), member_id) if member_id else None
    if member is None or member.status == "banned":
        return render_template("auth/link_invalid.html", confirm=True), 404
    if member.confirmed:
        return _already_confirmed()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/confirm.html", form=form, member=member)
    if not members.confirm_address(graph_engine(), member.id):  # another click confirmed it first
        return _already_confirmed()
    _sign_in(member)
    if member.status == "pending":
        return redirect(url_for("member.pending"))
    sponsors = sponsorship.network_of(graph_engine(), member.id).sponsors
    flash(_("Welcome to TrustNet, %(name)s! %(sponsor)s is your sponsor.",
            name=member.name, sponsor=sponsors[0].name if sponsors else ""), "success")
    return redirect(url_for("member.home"))  # the feed, with the newcomer's first steps


def _already_confirmed():
    """A used confirmation link only says so: the member signs in with their password."""
    flash(_("Your address is already confirmed. Sign in."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a set-password link. The answer never tells whether the address is known."""
    form = ForgotForm()
    if form.validate_on_submit():
        try:
            mail_password_link(form.email.data)
        except attempts.TooManyAttempts as refusal:
            form.email.errors.append(str(refusal))
            return render_template("auth/forgot.html", form=form), 429
        flash(_("If an account uses this address, we have sent it a link to set a new "
                "password. It works once, within %(hours)d hours.",
                hours=current_app.config["TRUSTNET_RESET_HOURS"]), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


def _set_password_page(token: str, *, claim: bool):
    found = password_token(token, claim=claim)
    if found is None:
        return render_template("auth/link_invalid.html"), 404
    member_id, version = found
    member = members.get_member(graph_engine(), member_id)
    if member is None or member.session_version != version:  # used, or password changed since
        return render_template("auth/link_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            members.set_password(graph_engine(), member_id, hash_password(form.password.data),
                                 version)
        except DomainError:  # used or changed meanwhile: the link is spent
            return render_template("auth/link_invalid.html"), 410
        logout_user()
        session.clear()
        flash(_("Your password is set. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, claim=claim)


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Set a new password from an e-mailed reset link (hours, single use)."""
    return _set_password_page(token, claim=False)


@blueprint.route("/claim/<token>", methods=["GET", "POST"])
def claim(token: str):
    """First password of a founder or an imported member (days, single use)."""
    return _set_password_page(token, claim=True)
