"""Checks every request passes before any view runs."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from trustnet.errors import error_page


def refuse_nul_characters():
    """Answer 400 to a request whose path, query or form holds a NUL character.

    No text of TrustNet may contain one: FalkorDB's client sends parameters inside the query
    text, which the server reads as a C string, so a NUL cuts the statement short and the
    engine fails (a 500). No browser sends one from what a person types, so refusing the
    request, before it reaches a view or the engine, loses nothing.
    """
    texts = [request.path, *request.args.keys(), *request.args.values(),
             *request.form.keys(), *request.form.values()]
    if any("\x00" in text for text in texts):
        return error_page(400, _("Invalid request"),
                          _("Text may not contain the NUL character. Nothing was changed."))
    return None
