"""The edge check every request passes (domain/wire.py): no control character in the path or
a query value, and none (nor an integer beyond 64 bits) in a JSON body, refused with 400
`control_character` or `integer_out_of_range` before any handler, database or log sees it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from outreach.domain import wire
from outreach.domain.errors import DomainError

# operations whose bodies are checked item by item (a push: one bad mutation sinks no other)
PER_ITEM = "per_item_wire_check"
# operations that gzip their own answers, off the event loop (the middleware skips them)
COMPRESSES_ITSELF = "compresses_itself"


class ControlCharacter(DomainError):
    """A path, query value or body text holds a NUL or another control character."""

    code = "control_character"
    status = 400


class IntegerOutOfRange(DomainError):
    """An integer beyond 64 bits."""

    code = "integer_out_of_range"
    status = 400


async def refuse_control_characters(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """A guard: the path and every query name and value, tab and newline included."""
    if bad := wire.control_character(str(connection.scope.get("path", "")), free_text=False):
        raise ControlCharacter(f"the path holds a control character ({bad})",
                               details=[{"source": "path"}])  # fmt: skip
    query = bytes(connection.scope.get("query_string", b"")).decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
        bad = wire.control_character(name + value, free_text=False)
        if bad:
            key = name if wire.control_character(name, free_text=False) is None else "?"
            raise ControlCharacter(f"a query value holds a control character ({bad})",
                                   details=[{"source": "query", "key": key}])  # fmt: skip


async def check_json_body(request: Request[Any, Any, Any]) -> None:
    """JSON bodies of operations that take one whole (a push checks each mutation itself)."""
    is_json = request.headers.get("content-type", "").split(";")[0].strip().lower() in (
        "application/json",
        "application/geo+json",
    )
    if not is_json or request.route_handler.opt.get(PER_ITEM):
        return
    problem = wire.json_problem(await request.body())
    if problem is None:
        return
    details = [{"source": "body", "key": problem.where, "message": problem.message}]
    error = IntegerOutOfRange if problem.rule == "integer_out_of_range" else ControlCharacter
    raise error(f"{problem.where}: {problem.message}", details=details)
