"""Errors a use case raises for a person to act on; the web layer turns them into clear 4xx."""


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
