"""Sign-in sessions with flask-login.

The login id is "member id:session version". Raising the member's session version (logout,
password change, ban) makes every session and remember-me cookie carrying the old id fail
to load on its next request.
"""

from __future__ import annotations

from flask_login import LoginManager, UserMixin

from graph.members import Member, get_member
from trustnet.services import graph

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"


class SignedInMember(UserMixin):
    """The member behind the current request."""

    def __init__(self, member: Member) -> None:
        self.member = member

    def get_id(self) -> str:
        return f"{self.member.id}:{self.member.session_version}"

    @property
    def id(self) -> str:
        return self.member.id

    @property
    def name(self) -> str:
        return self.member.name

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
    def is_admin(self) -> bool:
        return self.member.admin and self.member.status == "active"


@login_manager.user_loader
def load_member(login_id: str) -> SignedInMember | None:
    """Return the member of a session if it is still valid, else None (signed out)."""
    member_id, _, version = login_id.partition(":")
    member = get_member(graph(), member_id)
    if member is None or member.status == "banned" or str(member.session_version) != version:
        return None
    return SignedInMember(member)
