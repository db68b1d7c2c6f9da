"""The service's log lines: every line carries its time, level, process id and request id, as
plain text or one JSON object per line (OUTREACH_LOG_FORMAT=json); control characters in
anything logged are escaped (a path cannot forge a line), and an exception is logged as its
type, SQLSTATE and frames, never its message (a database's message quotes the values)."""

from __future__ import annotations

import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal

import msgspec

from outreach.domain.wire import printable

LogFormat = Literal["text", "json"]
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
_MARK = "_outreach_handler"


def exception_lines(error: BaseException) -> list[str]:
    """An exception and its causes as frames and type names (with the SQLSTATE of a database
    error), without the messages, which may quote what a user sent."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(seen) < 8:
        seen.add(id(current))
        frames = traceback.format_list(traceback.extract_tb(current.__traceback__))
        lines += ["Traceback (most recent call last):"]
        lines += [part for frame in frames for part in frame.rstrip("\n").split("\n")]
        kind = type(current)
        sqlstate = getattr(current, "sqlstate", None)
        state = f" (SQLSTATE {sqlstate})" if isinstance(sqlstate, str) else ""
        lines.append(f"{kind.__module__}.{kind.__qualname__}{state}")
        current = current.__cause__ or current.__context__
    return lines


class _Formatter(logging.Formatter):
    def __init__(self, style: LogFormat) -> None:
        super().__init__()
        self.style = style

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        message = printable(record.getMessage())
        request_id = printable(str(getattr(record, "request_id", REQUEST_ID.get())))
        error = record.exc_info[1] if record.exc_info else None
        trace = [printable(line) for line in exception_lines(error)] if error else []
        if self.style == "json":
            fields = {"time": when, "level": record.levelname, "pid": record.process,
                      "request_id": request_id, "logger": record.name,
                      "message": message}  # fmt: skip
            if trace:
                fields["exception"] = "\n".join(trace)
            return msgspec.json.encode(fields).decode()
        prefix = f"{when} {record.levelname} pid={record.process} req={request_id} {record.name}:"
        return "\n".join(f"{prefix} {line}" for line in [message, *trace])


class _RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def configure(level: str, style: LogFormat = "text") -> None:
    """Send every logger's lines to stderr in the given format (once per process: a second
    call replaces the first's handler)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(style))
    handler.addFilter(_RequestId())
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper())
