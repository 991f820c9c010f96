"""Domain errors: what a verb refuses, in words a member can read. The web app maps them to
HTTP once (404, 409, 403, 400), the CLI to exit code 2."""


class DomainError(Exception):
    """A verb refused: nothing was written.

    The message is English, with %(name)s placeholders filled from the keyword arguments:
    str(error) reads it in English (CLI, logs), and the web app looks the unfilled message up
    in its catalog to show it in the reader's language (trustnet.i18n.error_message). Write
    it as a literal string, so that scripts/translations.py can extract it.
    """

    def __init__(self, message: str = "", **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it does."""


class Conflict(DomainError):
    """The change contradicts the current state (already used, already a member, a race lost)."""


class Forbidden(DomainError):
    """The actor is known but may not do this."""


class Invalid(DomainError):
    """The input is malformed; the message says how."""


class TooLarge(Conflict):
    """The work would outlast the time budget given to it (a walk below a large subtree inside
    a web request): it stopped there, nothing was written, and it can run as a background job
    (graph.jobs) instead."""
