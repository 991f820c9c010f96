"""Sign-in sessions with flask-login.

The login id is "member id:session version". Raising the member's session version (sign out
everywhere, password change, ban) makes every session and remember-me cookie carrying the
old id fail to load on its next request.
"""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import LoginManager, UserMixin
from flask_login.utils import decode_cookie

from graph.members import FirstSteps, Member, Status, get_signed_in_member
from trustnet.i18n import lazy_gettext as _l
from trustnet.services import graph_engine

login_manager = LoginManager()
login_manager.login_view = "auth.login"
# What a visitor sent to sign in reads, in their language: Flask-Login flashes
# localize_callback(login_message), made a plain string while the request's locale is known.
login_manager.login_message = _l("Sign in to see this page.")
login_manager.localize_callback = str
login_manager.session_protection = "basic"


class SignedInMember(UserMixin):
    """The member behind the current request."""

    def __init__(self, member: Member, first_steps: FirstSteps | None = None,
                 unread: int = 0) -> None:
        self.member = member
        self.first_steps = first_steps
        self.unread = unread  # notifications, for the navigation's badge

    def get_id(self) -> str:
        return f"{self.member.id}:{self.member.session_version}"

    @property
    def id(self) -> str:
        return self.member.id

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def hides_whole_network(self) -> bool:
        return self.member.hides_whole_network

    @property
    def email(self) -> str:
        return self.member.email

    @property
    def status(self) -> str:
        return self.member.status

    @property
    def locale(self) -> str | None:
        return self.member.locale

    @property
    def is_active_member(self) -> bool:
        """Active: the only status that uses the members' pages (notifications included)."""
        return self.member.status == Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.member.admin and self.is_active_member


@login_manager.user_loader
def load_member(login_id: str) -> SignedInMember | None:
    """Return the member of a session if it is still valid, else None (signed out)."""
    member_id, _, version = login_id.partition(":")
    found = get_signed_in_member(graph_engine(), member_id)
    if found is None:
        return None
    member, first_steps, unread = found
    if member.status == "banned" or not member.confirmed or str(member.session_version) != version:
        return None
    return SignedInMember(member, first_steps, unread)


def accept_remember_cookie_of_an_old_key() -> None:
    """Take a remember-me cookie signed with a previous secret key, and sign it anew.

    Flask's session honours SECRET_KEY_FALLBACKS (TRUSTNET_OLD_SECRET_KEYS), but Flask-Login
    checks its remember-me cookie against SECRET_KEY alone: rotating the key would sign out
    everyone who chose "keep me signed in". Run before the user is loaded, this does what
    Flask-Login does with a valid cookie (the login id goes into the session, not fresh;
    the user loader still checks the session version and the ban on every request), and
    asks it to set the cookie again, under the current key.
    """
    config = current_app.config
    cookie = request.cookies.get(config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    if not cookie or "_user_id" in session or session.get("_remember") == "clear":
        return
    if decode_cookie(cookie) is not None:
        return  # signed with the current key: Flask-Login takes it from here
    for old_key in config.get("SECRET_KEY_FALLBACKS") or []:
        login_id = decode_cookie(cookie, key=old_key)
        if login_id is not None:
            session["_user_id"] = login_id
            session["_fresh"] = False
            session["_remember"] = "set"
            return
