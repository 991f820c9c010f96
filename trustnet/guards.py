"""Who may open the members' pages: shared by every blueprint of the members' side."""

from __future__ import annotations

from flask import current_app, redirect, request, url_for
from flask_login import current_user

# What a member waiting for more sponsors may open.
PENDING_ENDPOINTS = frozenset({"member.pending", "member.settings"})


def require_member():
    """Every page here needs a signed-in member; a pending one sees only the admission page,
    a suspended one only the suspension page (trustnet.moderation)."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.status == "pending" and request.endpoint not in PENDING_ENDPOINTS:
        return redirect(url_for("member.pending"))
    if current_user.status == "suspended":
        return redirect(url_for("moderation.suspended"))
    return None
