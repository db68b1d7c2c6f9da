"""The edge rules every value from outside meets: control characters and 64-bit integers."""

from __future__ import annotations

import json

import pytest

from outreach.domain import wire


@pytest.mark.parametrize(("text", "free_text", "found"), [
    ("plain Қызылорда", False, None),
    ("a\tb\nc\r", True, None),
    ("a\tb", False, "U+0009"),
    ("a\x00b", True, "U+0000"),
    ("\x1b[31m", True, "U+001B"),
    ("a\x7fb", False, None),  # DEL is not C0
])  # fmt: skip
def test_wire_control_character_in_text(text: str, free_text: bool, found: str | None) -> None:
    assert wire.control_character(text, free_text=free_text) == found


@pytest.mark.parametrize(("value", "where", "rule"), [
    ({"a": "x\by"}, "$.a", "control_character"),  # JSON's short escape \b
    ({"a": "x\fy"}, "$.a", "control_character"),
    ({"a": ["ok", {"b": "x\u0000"}]}, "$.a[1].b", "control_character"),
    ({"no\u0001te": 1}, "$", "control_character"),
    ({"n": 2**63}, "$.n", "integer_out_of_range"),
    ({"n": [-(2**63) - 1]}, "$.n[0]", "integer_out_of_range"),
])  # fmt: skip
def test_wire_json_problem_names_where_and_which_rule(value, where: str, rule: str) -> None:
    problem = wire.json_problem(json.dumps(value).encode())
    assert problem is not None and (problem.where, problem.rule) == (where, rule)


@pytest.mark.parametrize("body", [
    b'{"a": "tab\\t newline\\n cr\\r", "n": 9223372036854775807, "m": -9223372036854775808}',
    b'{"a": "an escaped backslash, then b: \\\\b and \\\\u0000"}',
    b'{"phone": "12345678901234567890"}',  # a long number inside a string is text
    b"not json \\u0000",  # the operation's own decoder says what is wrong
])  # fmt: skip
def test_wire_json_problem_passes_what_is_allowed(body: bytes) -> None:
    assert wire.json_problem(body) is None


def test_wire_printable_escapes_what_would_break_a_line() -> None:
    assert wire.printable("a\nb\x00c\u2028d\x85") == "a\\x0ab\\x00c\\u2028d\\x85"
    assert wire.printable("Қызылорда") == "Қызылорда"
