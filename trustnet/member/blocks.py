"""Blocks: block a member from their profile or a conversation, and lift my blocks from
their list (see graph.blocks for what a block cuts)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph import blocks
from trustnet.guards import require_member
from trustnet.member.forms import ConfirmForm
from trustnet.services import graph_engine

blueprint = Blueprint("blocks", __name__)
blueprint.before_request(require_member)


@blueprint.get("/blocks")
def mine():
    """The members I blocked, each with a button to lift the block."""
    return render_template("member/blocks.html",
                           blocks=blocks.blocks_of(graph_engine(), current_user.id),
                           confirm_form=ConfirmForm())


@blueprint.post("/members/<member_id>/block")
def block(member_id: str):
    """Block a member whose profile I may see (404 otherwise)."""
    if ConfirmForm().validate_on_submit():
        name = blocks.block(graph_engine(), current_user.id, member_id,
                            current_app.config["TRUSTNET_MAX_DEGREE"])
        flash(_("You blocked %(name)s: you no longer see each other's offers and messages.",
                name=name), "success")
    return redirect(url_for("blocks.mine"))


@blueprint.post("/blocks/<member_id>/lift")
def unblock(member_id: str):
    """Lift my block of a member."""
    if ConfirmForm().validate_on_submit():
        name = blocks.unblock(graph_engine(), current_user.id, member_id)
        flash(_("%(name)s is no longer blocked.", name=name), "success")
    return redirect(url_for("blocks.mine"))
