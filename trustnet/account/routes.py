"""A member's own account: download their data, then leave if they wish."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from graph import departure, members
from trustnet.account.forms import LeaveForm
from trustnet.actions.account import leave as leave_trustnet
from trustnet.auth.attempts import TooManyAttempts, recheck_password
from trustnet.photos import album
from trustnet.services import graph_engine

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.before_request
def require_signed_in():
    """Any signed-in member may take their data and leave, whatever their status."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@blueprint.get("/export")
def export():
    """Everything TrustNet holds about me, as a JSON file, with the names of my photos'
    files."""
    data = departure.export_data(graph_engine(), current_user.id)
    data["photo_files"] = album.photo_file_names(album.photos_root(), current_user.id,
                                                 data["member"]["photo"], data["offers"])
    return Response(json.dumps(data, indent=2, ensure_ascii=False, default=str),
                    mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=trustnet-data.json"})


@blueprint.route("/leave", methods=["GET", "POST"])
def leave():
    """Delete my account: my data and photos are erased; the chains that went through me
    still hold."""
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            ok = recheck_password(members.get_member(graph_engine(), current_user.id),
                                  form.password.data)
        except TooManyAttempts as refusal:
            form.password.errors.append(str(refusal))
            return render_template("account/leave.html", form=form), 429
        if ok:
            leave_trustnet(current_user.id)
            logout_user()
            flash(_("Your account is deleted. Goodbye."), "info")
            return redirect(url_for("auth.login"))
        form.password.errors.append(_("This is not your password."))
    return render_template("account/leave.html", form=form)
