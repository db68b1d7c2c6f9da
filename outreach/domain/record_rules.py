"""What the server accepts in each kind of record, as data a phone can check before saving:
read from the same msgspec types the server decodes mutations with (outreach.domain.records),
so the two can never say different things.

Each kind's rules name the fields a new record needs (`required`) and, by path, what each
field may hold (`fields`). A path is a field's name, a nested field's `parent.name`, or `*`
for every item of a list (`topics.*`, `interested.*.name`). Lengths count characters
(Unicode code points), as the server does. A `format` names a check beyond the type's
(`kz_phone`: a Kazakhstan number, which the server stores normalised). No string may hold a
C0 control character, except a tab, newline or carriage return in one marked `free_text`
(notes, a reason, a question's text)."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
import msgspec.inspect as mi

from outreach.domain.records import FREE_TEXT, SPECS, NoLists

RuleType = Literal["string", "integer", "number", "date", "choice", "object", "list"]


class FieldRule(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What one field may hold. `nullable`: it may be cleared (null); `required`: an object
    that has this field must give it. Bounds are inclusive."""

    type: RuleType
    nullable: bool = False
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    choices: list[str] | None = None
    max_items: int | None = None
    format: Literal["kz_phone"] | None = None
    free_text: bool = False


class KindRules(msgspec.Struct, frozen=True, kw_only=True):
    """One kind of record: the fields a new one needs, and every field's rule by path."""

    required: list[str]
    fields: dict[str, FieldRule]


def record_rules() -> dict[str, KindRules]:
    """The rules of every kind of record, by kind."""
    out: dict[str, KindRules] = {}
    for kind, spec in SPECS.items():
        fields: dict[str, FieldRule] = {}
        _struct(mi.type_info(spec.fields), "", fields, top=True)
        if spec.adds is not NoLists:
            _struct(mi.type_info(spec.adds), "", fields, top=True)
        out[kind] = KindRules(required=list(spec.required), fields=fields)
    return out


def _struct(info: Any, prefix: str, into: dict[str, FieldRule], top: bool = False) -> None:
    for field in info.fields:
        # a top-level field is optional in one mutation; what a new record needs is `required`
        _field(field.type, prefix + field.encode_name, into, required=field.required and not top)


def _field(t: Any, path: str, into: dict[str, FieldRule], required: bool) -> None:
    nullable = False
    if isinstance(t, mi.UnionType):
        # (UNSET, "not sent", is not a type msgspec.inspect reports)
        kept = [u for u in t.types if not isinstance(u, mi.NoneType)]
        nullable = len(kept) < len(t.types)
        if len(kept) != 1:
            raise TypeError(f"{path}: a union the rules cannot state: {t}")
        t = kept[0]
    format_ = None
    while isinstance(t, mi.Metadata):
        format_ = format_ or (t.extra_json_schema or {}).get("format")
        t = t.type
    base = FieldRule(type="object", nullable=nullable, required=required)
    if isinstance(t, mi.StructType):
        into[path] = base
        _struct(t, f"{path}.", into)
    elif isinstance(t, mi.ListType):
        into[path] = msgspec.structs.replace(base, type="list", max_items=t.max_length)
        _field(t.item_type, f"{path}.*", into, required=True)
    else:
        into[path] = msgspec.structs.replace(_scalar(t, path, base), format=format_)


# the free-text paths as rules name them (`questions.*.text`), not as mutations (`add.…`)
_FREE_TEXT_PATHS = frozenset(".".join(path[1:]) for path in FREE_TEXT)


def _scalar(t: Any, path: str, base: FieldRule) -> FieldRule:
    change = msgspec.structs.replace
    if isinstance(t, mi.StrType):
        return change(base, type="string", min_length=t.min_length, max_length=t.max_length,
                      pattern=t.pattern, free_text=path in _FREE_TEXT_PATHS)  # fmt: skip
    if isinstance(t, mi.IntType | mi.FloatType):
        if t.gt is not None or t.lt is not None or t.multiple_of is not None:
            raise TypeError(f"{path}: only inclusive bounds are published")
        kind: RuleType = "integer" if isinstance(t, mi.IntType) else "number"
        return change(base, type=kind, minimum=t.ge, maximum=t.le)
    if isinstance(t, mi.LiteralType):
        return change(base, type="choice", choices=[str(v) for v in t.values])
    if isinstance(t, mi.DateType):
        return change(base, type="date")
    raise TypeError(f"{path}: a type the rules cannot state: {t}")
