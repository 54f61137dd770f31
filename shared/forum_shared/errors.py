"""Refusals a person can act on. Framework-free, so a service's domain may raise them; the web
layer turns each into one clear 4xx (`forum_shared.ui.negotiation`), the same in every service.

- `RuleBroken` (422): what was asked breaks one of the forum's rules ("a pop-up forum needs two
  facilitators"); the message says which, in words a person can act on.
- `NotFound` (404): there is no such thing.
- `Conflict` (409): it clashes with what is already there (the same email twice).
- `Invalid` (422): the input itself is wrong.
"""


class ForumError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ForumError):
    status_code = 404


class Conflict(ForumError):
    status_code = 409


class Invalid(ForumError):
    status_code = 422


class RuleBroken(ForumError):
    """A domain rule refused what was asked. Every service's domain raises this one type."""

    status_code = 422
