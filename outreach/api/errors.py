"""One JSON error shape for every 4xx and 5xx, with a stable machine-readable code."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from outreach.api.requests import request_id_of
from outreach.domain.errors import DomainError

log = logging.getLogger("outreach.api")


class ErrorBody(msgspec.Struct, frozen=True, kw_only=True):
    """Every error response: `code` is stable for programs, `message` is for people,
    `details` lists what exactly was wrong (fields, lines, columns) where that is known."""

    code: str
    message: str
    status: int
    details: list[dict[str, Any]] = []
    request_id: str | None = None


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


OWN_CODES = frozenset({*_HTTP_CODES.values(), "http_error", "validation_failed", "body_too_deep",
                       "invalid_encoding", "internal_error"})  # fmt: skip
"""The codes this module gives errors that are not the domain's own."""


def declared_codes() -> frozenset[str]:
    """Every `code` an error response can carry: this module's and every DomainError's (the
    modules that define them must have been imported, as the app does)."""
    codes = set(OWN_CODES)
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        error = pending.pop()
        codes.add(error.code)
        pending.extend(error.__subclasses__())
    return frozenset(codes)


def _response(
    request: Request[Any, Any, Any], body: ErrorBody, headers: dict[str, str] | None = None
) -> Response[ErrorBody]:
    request_id = request_id_of(request.scope)  # the router's own 404 and 405 have none yet
    return Response(
        msgspec.structs.replace(body, request_id=request_id),
        status_code=body.status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[ErrorBody]:
    """A rule of the domain refused the request."""
    return _response(
        request,
        ErrorBody(code=exc.code, message=exc.message, status=exc.status, details=exc.details),
    )


def validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[ErrorBody]:
    """The request's body, query or path did not decode into the declared types."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    details = [
        {key: value for key, value in item.items() if key in ("key", "message", "source")}
        for item in extra
        if isinstance(item, dict)
    ]
    return _response(
        request,
        ErrorBody(code="validation_failed", message=exc.detail, status=400, details=details),
    )


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    """Routing and protocol errors: unknown path, wrong method, body too large, and so on."""
    status = exc.status_code
    code = _HTTP_CODES.get(status, "http_error")
    message = _too_large(request) if status == 413 else exc.detail
    return _response(request, ErrorBody(code=code, message=message, status=status), exc.headers)


def _too_large(request: Request[Any, Any, Any]) -> str:
    """How large a body this operation takes, and the setting that says so."""
    try:
        limit = request.route_handler.resolve_request_max_body_size()
    except Exception:  # no handler resolved: the app's own limit
        limit = None
    settings = request.app.state.settings
    setting = ("OUTREACH_MAX_IMPORT_BYTES" if limit == settings.max_import_bytes
               else "OUTREACH_MAX_BODY_BYTES")  # fmt: skip
    if limit is None:
        return "the body is too large"
    return f"the body is larger than the {limit:,} bytes this operation takes ({setting})"


def undecodable_body(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    """The body decoder gave up: nesting too deep for it, or bytes that are not UTF-8."""
    if isinstance(exc, RecursionError):
        code, message = "body_too_deep", "the body is nested too deeply"
    else:
        code, message = "invalid_encoding", "the body is not valid UTF-8"
    return _response(request, ErrorBody(code=code, message=message, status=400))


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    """A bug: logged with the request id, answered without internals."""
    log.error(
        "unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc
    )
    return _response(
        request,
        ErrorBody(
            code="internal_error",
            status=500,
            message="internal error; the request id is in the logs",
        ),
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    RecursionError: undecodable_body,
    UnicodeDecodeError: undecodable_body,
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error,
    Exception: internal_error,
}
