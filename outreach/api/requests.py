"""Per-request plumbing: a request id on every request and response, an access log line that
holds no body, query string, token or cookie, and the content-type check of request bodies."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from outreach.api.wire import check_json_body
from outreach.logs import REQUEST_ID

log = logging.getLogger("outreach.access")
REQUEST_ID_HEADER = "x-request-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_of(scope: Scope) -> str:
    """The request's id (the client's X-Request-ID if it is a plain token), given to it now if
    nothing gave it one yet."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        state["request_id"] = given if _SAFE_ID.match(given) else uuid.uuid4().hex[:16]
    return str(state["request_id"])


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Give each HTTP request an id and log one line per request: method, path, status,
    duration, id."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope["state"]["routed"] = True
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            log.info(
                "%s %s %s %.1fms", scope["method"], scope["path"], status,
                (time.perf_counter() - started) * 1000,
            )  # fmt: skip
            REQUEST_ID.reset(token)

    return middleware


async def log_unrouted(message: Message, scope: Scope) -> None:
    """The router's own answers (404 for no such path, 405 for no such method) pass no
    middleware: their request id and access line are given here (an app-wide `before_send`
    hook), so that a path scan leaves its trace and its errors an id to quote."""
    if message["type"] != "http.response.start" or scope.get("state", {}).get("routed"):
        return
    request_id = request_id_of(scope)
    MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = request_id
    token = REQUEST_ID.set(request_id)
    try:
        log.info("%s %s %s", scope.get("method"), scope["path"], message["status"])
    finally:
        REQUEST_ID.reset(token)


async def check_body_media_type(request: Request[Any, Any, Any]) -> None:
    """Refuse (415) a body whose Content-Type is not the one the handler declares in its
    `opt["body_media_type"]`; a JSON body passes the edge check first (api/wire.py)."""
    await check_json_body(request)
    expected = request.route_handler.opt.get("body_media_type")
    if expected is None:
        return
    given = request.headers.get("content-type", "").split(";")[0].strip().lower()
    allowed = (expected,) if isinstance(expected, str) else tuple(expected)
    if given not in allowed:
        raise HTTPException(
            status_code=415,
            detail=f"send the body as {' or '.join(allowed)} (Content-Type was"
            f" {given or 'missing'})",
        )
