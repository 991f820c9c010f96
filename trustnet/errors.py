"""Errors become pages once, here: domain errors by kind, an unreachable engine as 503.

The one rule for routes:

1. A bad part of the address (an id that does not parse or names nothing the reader may
   see, an unknown word where the address takes one of a few, a token that is none) is a
   404: the verb raises NotFound, or the route itself for a word it checks, and nothing
   catches it (`refusal_message` below raises it again).
2. Where a route shows a refusal in its own page or form, it catches `DomainError` as a
   whole around its one action and shows `refusal_message(error)`: the form re-rendered with the
   message and the input kept, or a flash on the page it returns to.
3. Everywhere else a domain error propagates to the handlers below, which map each kind to
   its status once (NotFound 404, Conflict 409, Forbidden 403, Invalid 400).

tests/web/test_bad_url_parts.py walks every route with each address part spoiled, and
tests/web/test_refusals_in_forms.py checks that each form shows a refusal, input kept.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from graph.engine import DiskFull, EngineError, EngineUnavailable, OutcomeUnknown
from graph.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from trustnet.i18n import error_message

log = logging.getLogger(__name__)


def refusal_message(error: DomainError) -> str:
    """The message of a refusal that a route shows in its own page, in the reader's
    language; a NotFound is raised again, since it is the 404 of a bad address (rule 1)."""
    if isinstance(error, NotFound):
        raise error
    return error_message(error)


def error_page(code: int, title: str, message: str, *, anonymous: bool = False):
    """Render the one error template with a status code."""
    return render_template(
        "errors/error.html", code=code, title=title, message=message, anonymous_shell=anonymous
    ), code


def _serve_as_visitor() -> None:
    """Answer the rest of this request as for a visitor, without asking the engine again.

    After an engine failure, perhaps in the user loader itself, anything that reads
    current_user (the locale selector behind every translated text, the page shell)
    would call the loader again and fail inside the error handler: a bare 500 instead of
    the error page. Only this request forgets its user; the session stays, so the member
    is still signed in once the engine is back.
    """
    login_manager = current_app.login_manager  # type: ignore[attr-defined]  # Flask-Login's
    login_manager._update_request_context_with_user()  # the anonymous user


def register_error_handlers(app: Flask) -> None:
    """Map domain errors, HTTP errors and engine failures to plain pages."""

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        return error_page(404, _("Not found"), _("There is nothing here, or not for you."))

    @app.errorhandler(Conflict)
    def conflict(error: Conflict):
        return error_page(409, _("This cannot be done now"), error_message(error))

    @app.errorhandler(Forbidden)
    def forbidden(error: Forbidden):
        return error_page(403, _("Not allowed"), error_message(error))

    @app.errorhandler(Invalid)
    def invalid(error: Invalid):
        return error_page(400, _("Invalid request"), error_message(error))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_page(400, _("Form expired"),
                          _("This form was too old or did not come from this site. "
                            "Go back, reload the page and try again."))

    @app.errorhandler(EngineUnavailable)
    def unavailable(error: EngineUnavailable):
        log.warning("graph engine unavailable: %s", error)
        _serve_as_visitor()
        if isinstance(error, DiskFull):
            message = _("TrustNet's server is out of disk space, so it cannot save anything "
                        "or send mail right now. Nothing was changed or sent. Pages can still "
                        "be read; please try again later.")
        elif isinstance(error, OutcomeUnknown):  # a write was sent, its reply lost
            message = _("TrustNet lost contact with its database while saving your "
                        "change, so it may or may not have been saved. Please check "
                        "in a moment before trying again.")
        else:
            message = _("TrustNet cannot reach its database right now. "
                        "Nothing was changed. Please try again in a moment.")
        return error_page(503, _("Temporarily unavailable"), message, anonymous=True)

    @app.errorhandler(EngineError)
    def engine_error(error: EngineError):
        log.error("graph engine error: %s", error)
        _serve_as_visitor()
        return error_page(500, _("Something went wrong"),
                          _("Nothing was changed. Please try again."), anonymous=True)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        titles = {404: _("Not found"), 405: _("Not allowed"), 429: _("Too many attempts")}
        return error_page(code, titles.get(code, error.name), error.description or "")
