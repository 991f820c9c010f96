"""Domain errors: what a verb refuses, in words a member can read. The web app maps them to
HTTP once (404, 409, 403, 400), the CLI to exit code 2."""


class DomainError(Exception):
    """A verb refused: nothing was written."""


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it does."""


class Conflict(DomainError):
    """The change contradicts the current state (already used, already a member, a race lost)."""


class Forbidden(DomainError):
    """The actor is known but may not do this."""


class Invalid(DomainError):
    """The input is malformed; the message says how."""
