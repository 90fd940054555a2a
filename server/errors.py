"""Domain errors: each carries the HTTP status, a snake_case code and a Vietnamese message.

The domain raises them without knowing about HTTP; the web edge turns any of them into
`{"error": {"code", "message"}}` with the status. Raising inside a write transaction
rolls it back, so an error never leaves a partial write.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal a user can see."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidInput(DomainError):
    """The request is malformed or names an impossible value (400)."""

    status = 400
    code = "invalid_input"


class NotFound(DomainError):
    """An id or code that does not exist (404)."""

    status = 404
    code = "not_found"


class NotAllowed(DomainError):
    """Who asks may not do this: another officer's counter, an unregistered device (403)."""

    status = 403
    code = "forbidden"


class WrongState(DomainError):
    """The ticket, counter or dossier is not in a state that allows the action (409)."""

    status = 409
    code = "wrong_state"


class CatalogError(ValueError):
    """The catalog file is refused; the message names the offending entry."""
