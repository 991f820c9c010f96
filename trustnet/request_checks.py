"""Checks every request passes before any view runs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

from trustnet.errors import error_page

# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def refuse_control_characters():
    """Answer 400 to a request whose path, query or form holds a control character.

    No text of TrustNet may contain one. A NUL cuts a FalkorDB statement short (its client
    sends parameters inside the query text, which the server reads as a C string); the
    others end up in mail headers or a terminal, where they break lines or act. No browser
    sends one from what a person types, so refusing the request, before it reaches a view
    or the engine, loses nothing. (Tabs and line breaks are kept where a field takes several
    lines; single-line fields refuse them themselves: trustnet.forms.single_line.)
    """
    texts = [request.path, *request.args.keys(), *request.args.values(),
             *request.form.keys(), *request.form.values()]
    if any(_CONTROL_CHARACTERS.search(text) for text in texts):
        return error_page(400, _("Invalid request"),
                          _("Text may not contain control characters, such as the NUL "
                            "character. Nothing was changed."))
    return None


class TrustedHostsOnly:
    """WSGI middleware: answer a plain 400 to a request whose Host the operator did not list.

    Runs before Flask, so that nothing of the app (its error page builds links) ever sees
    a forged Host; absolute links come from TRUSTNET_BASE_URL in any case (trustnet.links).
    """

    def __init__(self, app: Callable, hosts: list[str]) -> None:
        self.app = app
        self.hosts = hosts

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            refusal: Any = Response("400 Bad Request: unknown host\n", 400,
                                    content_type="text/plain; charset=utf-8")
            return refusal(environ, start_response)
        return self.app(environ, start_response)
