"""Domain errors: each carries a stable machine-readable code the API maps to one JSON shape."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of the errors a client can cause; `code` is stable, `message` is for people."""

    code = "invalid_request"
    status = 400

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(DomainError):
    """The named object does not exist (or is not visible to the caller)."""

    code = "not_found"
    status = 404


class InvalidInput(DomainError):
    """The request is well-formed but its content breaks a rule."""

    code = "invalid_input"
    status = 422


class PinNotWorkingDay(InvalidInput):
    """A meeting pinned to a day the campaign does not work (outside its dates, a weekend, a
    public holiday or a day off); `details` names each pin's date."""

    code = "pin_not_working_day"


class Conflict(DomainError):
    """The request lost a race or collides with the current state (a name already taken, a
    one-time code already used): read again and decide."""

    code = "conflict"
    status = 409


class VersionConflict(Conflict):
    """The object changed since the caller read it."""

    code = "version_conflict"
    status = 409


class NameTaken(Conflict):
    """A login or team name already in use (letter case aside); `details` name the field and
    the value."""

    code = "name_taken"
    status = 409


class LastAdmin(Conflict):
    """The change would leave no enabled admin: nobody could manage accounts any more."""

    code = "last_admin"
    status = 409


class InvalidGazetteerFile(DomainError):
    """An import file has bad rows or columns; `details` names each (line, column, problem)."""

    code = "invalid_gazetteer_file"


class SignInRequired(DomainError):
    """The operation needs a signed-in user (or the session has expired or ended)."""

    code = "sign_in_required"
    status = 401


class Forbidden(DomainError):
    """The signed-in user's role may not do this."""

    code = "forbidden"
    status = 403


class CsrfFailed(DomainError):
    """A cookie-authenticated write without the session's X-CSRF-Token header."""

    code = "csrf_failed"
    status = 403
