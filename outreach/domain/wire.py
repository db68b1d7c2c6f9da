"""What any value the service takes from outside must be, whatever the operation: text without
NUL or other C0 control characters (tab, newline and carriage return only in free text) and
integers that fit 64 bits. PostgreSQL refuses NUL in text and integers past 64 bits where
SQLite would keep or overflow on them; refusing both at the edge makes the engines alike, and
keeps control characters out of logs."""

from __future__ import annotations

import re
from typing import Any, Literal

import msgspec

MAX_INT64 = 2**63 - 1
MIN_INT64 = -(2**63)
_CONTROL = re.compile(r"[\x00-\x1f]")
_CONTROL_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# a control character escaped in JSON text (\u0000 ... \u001f, or \b and \f), not preceded by
# an escaped backslash
_ESCAPED_CONTROL = re.compile(rb"(?<!\\)(?:\\\\)*\\(?:u00([01][0-9a-fA-F])|([bf]))")
_FREE_TEXT_ESCAPES = frozenset({0x09, 0x0A, 0x0D})
# what may not be shown raw in a stored message or a log line: C0, DEL, C1, line separators
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LONG_NUMBER = re.compile(rb"\d{19}")
_any = msgspec.json.Decoder()


class Problem(msgspec.Struct, frozen=True):
    """Where a value breaks the rule (`$.path.to[0].field`), which rule, and how."""

    where: str
    rule: Literal["control_character", "integer_out_of_range"]
    message: str


def control_character(text: str, *, free_text: bool) -> str | None:
    """The first forbidden control character of a text as `U+0000`, or None."""
    found = (_CONTROL_IN_FREE_TEXT if free_text else _CONTROL).search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def printable(text: str) -> str:
    """Text with control characters (and Unicode line separators) as visible escapes
    (`\\x00`, `\\u2028`): for messages that are stored, shown or logged."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped_control_character(json_text: bytes) -> str | None:
    """The first control character escaped in a JSON text (other than tab, newline and
    carriage return), as `U+0000`, or None; a raw one makes the JSON malformed anyway."""
    for found in _ESCAPED_CONTROL.finditer(json_text):
        code = int(found.group(1), 16) if found.group(1) else {b"b": 8, b"f": 12}[found.group(2)]
        if code not in _FREE_TEXT_ESCAPES:
            return f"U+{code:04X}"
    return None


def json_problem(body: bytes) -> Problem | None:
    """The first string (key or value) with a forbidden control character, or integer beyond
    64 bits, in a JSON body; None when there is none or the body is not JSON (the
    operation's own decoder then says what is wrong)."""
    if escaped_control_character(body) is None and not _LONG_NUMBER.search(body):
        return None  # the common case: nothing to walk
    try:
        value = _any.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return None
    return _walk(value, "$")


def _walk(value: Any, where: str) -> Problem | None:
    if isinstance(value, str):
        bad = control_character(value, free_text=True)
        return (
            None
            if bad is None
            else Problem(where, "control_character", f"a control character ({bad})")
        )
    if isinstance(value, bool) or not isinstance(value, int | dict | list):
        return None
    if isinstance(value, int):
        fits = MIN_INT64 <= value <= MAX_INT64
        return None if fits else Problem(where, "integer_out_of_range", "an integer beyond 64 bits")
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(key, str) and (bad := control_character(key, free_text=False)):
            return Problem(where, "control_character", f"a control character ({bad}) in a key")
        found = _walk(item, f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]")
        if found is not None:
            return found
    return None
