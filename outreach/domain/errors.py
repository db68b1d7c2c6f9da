"""Domain errors: each carries a stable machine-readable code the API maps to one JSON shape."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of the errors a client can cause; `code` is stable, `message` is for people."""

    code = "invalid_request"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(DomainError):
    """The named object does not exist (or is not visible to the caller)."""

    code = "not_found"


class InvalidInput(DomainError):
    """The request is well-formed but its content breaks a rule."""

    code = "invalid_input"


class VersionConflict(DomainError):
    """The object changed since the caller read it."""

    code = "version_conflict"


class InvalidGazetteerFile(DomainError):
    """An import file has bad rows or columns; `details` names each (line, column, problem)."""

    code = "invalid_gazetteer_file"
