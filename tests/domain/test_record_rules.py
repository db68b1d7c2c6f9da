"""The record rules phones are given say exactly what the server's decoder accepts: for every
field and every bound in them, a value at the bound passes `check` and one past it is refused;
and every field the server checks has its bounds published."""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import pytest

from outreach.domain.record_rules import FieldRule, KindRules, record_rules
from outreach.domain.records import SPECS
from outreach.domain.sync import Rejection, check

RULES = record_rules()
SAMPLES = {r"^\d{9}$": "431033100", r"^[0-9a-f]{64}$": "0" * 64,
           r"^([01]\d|2[0-3]):[0-5]\d$": "09:30"}  # fmt: skip
CASES = [(kind, path) for kind, rules in RULES.items() for path in rules.fields]


def children(rules: KindRules, path: str) -> dict[str, FieldRule]:
    depth = path.count(".") + 1
    return {p: r for p, r in rules.fields.items()
            if p.startswith(path + ".") and p.count(".") == depth}  # fmt: skip


def sample(rules: KindRules, path: str, index: int = 0) -> Any:
    """A value the rule at `path` accepts (the `index`th of several distinct ones)."""
    rule = rules.fields[path]
    if rule.type == "object":
        return {p.rsplit(".", 1)[1]: sample(rules, p, index)
                for p, r in children(rules, path).items() if r.required}  # fmt: skip
    if rule.type == "list":
        return [sample(rules, f"{path}.*")]
    if rule.type == "string":
        if rule.pattern:
            return SAMPLES[rule.pattern]
        return "+7 701 234 56 78" if rule.format == "kz_phone" else f"x{index}"
    if rule.type in ("integer", "number"):
        return rule.minimum if rule.minimum is not None else 0
    if rule.type == "choice":
        return rule.choices[0] if rule.choices else None
    return "2027-05-01"


def mutation(kind: str, path: str, value: Any) -> bytes:
    """A mutation that sends `value` at `path` and otherwise only valid values."""
    rules = RULES[kind]
    parts = path.split(".")
    top = sample(rules, parts[0]) if len(parts) > 1 else value
    if len(parts) > 1:
        holder = top
        for part in parts[1:-1]:
            holder = holder[0 if part == "*" else part]
        holder[0 if parts[-1] == "*" else parts[-1]] = value
    section = "add" if parts[0] in SPECS[kind].lists else "set"
    return msgspec.json.encode({"mutation_id": "00000000-0000-4000-8000-000000000001",
                                "record_id": "00000000-0000-4000-8000-000000000002",
                                "kind": kind, section: {parts[0]: top}})  # fmt: skip


def accepted(kind: str, path: str, value: Any) -> bool:
    try:
        check(mutation(kind, path, copy.deepcopy(value)))
    except Rejection:
        return False
    return True


def probes(rules: KindRules, path: str) -> list[tuple[Any, bool]]:
    """Values around each of the rule's bounds, with whether the rule lets them through."""
    rule = rules.fields[path]
    out: list[tuple[Any, bool]] = [(sample(rules, path), True), (None, rule.nullable)]
    if rule.format == "kz_phone":
        out += [
            ("8 (701) 234-56-78", True),
            ("12345", False),
            ("+44 20 7946 0958", False),
            ("+7 701 234 56 78" + " " * 30, False),
        ]  # over its 40 characters
    elif rule.type == "string" and not rule.pattern:
        top = rule.max_length
        assert top is not None, f"{path}: a text with no published length limit"
        out += [("é" * top, True), ("é" * (top + 1), False), ("😀" * top, True)]
        # a tab or line break only in free text; any other control character nowhere
        out += [("a\tb", rule.free_text), ("a\nb", rule.free_text), ("a\x01b", False)]
        if rule.min_length:
            out.append(("", False))
    elif rule.type == "string":
        out += [("x", False), (SAMPLES[rule.pattern or ""] + "0", False)]
    elif rule.type in ("integer", "number"):
        assert rule.minimum is not None and rule.maximum is not None, f"{path}: unbounded"
        step = 1 if rule.type == "integer" else 0.5
        out += [(rule.minimum, True), (rule.minimum - step, False), (rule.maximum, True)]
        if rule.maximum < 2**63 - 1:
            out.append((rule.maximum + step, False))
        if rule.type == "integer":
            out.append((rule.minimum + 0.5, False))
    elif rule.type == "choice":
        out += [(c, True) for c in rule.choices or []] + [("none of these", False)]
    elif rule.type == "list":
        assert rule.max_items, f"{path}: a list with no published cap"
        items = [sample(rules, f"{path}.*", i) for i in range(rule.max_items + 1)]
        distinct = {r"^\d{9}$": "{:09d}", r"^[0-9a-f]{64}$": "{:064x}"}
        if pattern := rules.fields[f"{path}.*"].pattern:
            items = [distinct[pattern].format(i) for i in range(rule.max_items + 1)]
        for n, item in enumerate(items):
            if isinstance(item, dict) and "id" in item:
                item["id"] = f"item-{n}"
        out += [(items[:-1], True), (items, False)]
    elif rule.type == "date":
        out += [("2027-02-30", False), ("tomorrow", False)]
    return out


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[f"{k}:{p}" for k, p in CASES])
def test_each_published_bound_is_the_servers(kind, path):
    rules = RULES[kind]
    if rules.fields[path].type == "object":
        assert accepted(kind, path, sample(rules, path))
        assert accepted(kind, path, None) == rules.fields[path].nullable
        return
    for value, allowed in probes(rules, path):
        shown = value if not isinstance(value, list | str) or len(value) < 20 else type(value)
        assert accepted(kind, path, value) == allowed, f"{kind} {path} = {shown!r}"


def test_every_kind_and_field_the_server_decodes_is_published():
    assert set(RULES) == set(SPECS)
    for kind, spec in SPECS.items():
        tops = {p.split(".")[0] for p in RULES[kind].fields}
        declared = set(spec.fields.__struct_fields__) | set(spec.lists)
        assert tops == declared, kind
        assert RULES[kind].required == list(spec.required)
    meeting = RULES["meeting"].fields
    assert (meeting["notes"].max_length, meeting["topics.*"].max_length) == (4000, 500)
    assert meeting["interested.*.name"].required and not meeting["interested.*.phone"].required
