"""Work that reports its progress as it goes: newline-delimited JSON, one object a line, each
sent as it happens; an error after the answer has begun becomes the last line."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from litestar import Request
from litestar.response import Stream

from outreach.api.errors import ErrorBody
from outreach.domain.errors import DomainError
from outreach.services.plan_progress import ProgressLine

NDJSON = "application/x-ndjson"
log = logging.getLogger("outreach.api")


class ErrorLine(msgspec.Struct, frozen=True, kw_only=True):
    """The last line of a stream that failed: the error body every other answer uses."""

    stage: str = "error"
    at_s: float
    error: ErrorBody


def ndjson_stream(request: Request[Any, Any, Any], lines: AsyncIterator[ProgressLine]) -> Stream:
    """Lines as NDJSON, flushed one by one; no proxy should buffer or cache them."""
    headers = {"cache-control": "no-store", "x-accel-buffering": "no"}
    return Stream(_encoded(request, lines), media_type=NDJSON, headers=headers)


async def _encoded(request: Request[Any, Any, Any], lines: AsyncIterator[ProgressLine]
                   ) -> AsyncIterator[bytes]:  # fmt: skip
    started = time.monotonic()
    try:
        async for line in lines:
            yield msgspec.json.encode(line) + b"\n"
    except Exception as exc:  # the answer has begun: the error can only be told as a line
        at_s = round(time.monotonic() - started, 3)
        yield msgspec.json.encode(ErrorLine(at_s=at_s, error=_body(request, exc))) + b"\n"


def _body(request: Request[Any, Any, Any], exc: Exception) -> ErrorBody:
    request_id = request.scope.get("state", {}).get("request_id")
    if isinstance(exc, DomainError):
        return ErrorBody(code=exc.code, message=exc.message, status=exc.status,
                         details=exc.details, request_id=request_id)  # fmt: skip
    log.error("unhandled %s while streaming %s %s", type(exc).__name__, request.method,
              request.url.path, exc_info=exc)  # fmt: skip
    return ErrorBody(code="internal_error", status=500, request_id=request_id,
                     message="internal error; the request id is in the logs")  # fmt: skip
