"""Field records a phone makes (meetings, follow-ups, suggested village positions): the fields
each kind has, which of them are lists merged by adds and removes, and their rules."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from outreach.domain.wire import MAX_INT64

# Bounds of every record, far above what a real meeting holds (a few dozen residents, a page
# of notes), so that one phone cannot make a record that is costly to merge, store or pull.
# docs/sync.md lists them; phones are told the same figures.
MAX_LIST_ITEMS = 1000
"""Items in one list field of one record (and entries in a follow-up's status history)."""
MAX_TEXT_CHARS = 4000
"""The longest text (a meeting's notes); every text field has its own bound at or below it."""
MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS
"""Bytes of the longest text in UTF-8 (a character takes at most four)."""
MAX_RECORD_BYTES = 1_048_576
"""Bytes of a record's whole document, encoded as JSON."""

Kind = Literal["meeting", "followup", "village_position"]
KINDS: tuple[Kind, ...] = ("meeting", "followup", "village_position")
Kato = Annotated[str, Meta(pattern=r"^\d{9}$", description="9-digit KATO code")]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$", description="lowercase hex SHA-256")]
ItemId = Annotated[str, Meta(min_length=1, max_length=64)]
Text = Annotated[str, Meta(max_length=MAX_TEXT_CHARS)]
ShortText = Annotated[str, Meta(min_length=1, max_length=500)]
Count = Annotated[int, Meta(ge=0, le=100_000)]
PhoneText = Annotated[
    str,
    Meta(max_length=40, extra_json_schema={"format": "kz_phone",
         "description": "a Kazakhstan number: +7, 8 or 7 and ten digits starting with 6 or 7"}),
]  # fmt: skip
Clock = Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local")]

Programme = Literal[
    "bastau_business",
    "microcredit",
    "land_plots",
    "utility_connections",
    "business_adviser",
    "entrepreneurs_house",
    "other",
]
PROGRAMMES: dict[str, dict[str, str]] = {
    "bastau_business": {"kk": "Бастау Бизнес", "ru": "Бастау Бизнес", "en": "Bastau Business"},
    "microcredit": {"kk": "Микронесие", "ru": "Микрокредит", "en": "Microcredit"},
    "land_plots": {"kk": "Жер телімдері", "ru": "Земельные участки", "en": "Land plots"},
    "utility_connections": {
        "kk": "Инженерлік желілерге қосылу",
        "ru": "Подключение к сетям",
        "en": "Utility connections",
    },
    "business_adviser": {"kk": "Бизнес-кеңесші", "ru": "Бизнес-советник", "en": "Business Adviser"},
    "entrepreneurs_house": {
        "kk": "Кәсіпкерлер үйі",
        "ru": "Дом предпринимателей",
        "en": "Entrepreneurs' House",
    },
    "other": {"kk": "Басқа", "ru": "Другое", "en": "Other"},
}
FollowupStatus = Literal[
    "new",
    "contacted",
    "referred",
    "trained",
    "defended",
    "financed",
    "dropped",
]


class Attendance(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Who came: the total and, within it, women, youth and entrepreneurs."""

    total: Count
    women: Count | None = None
    youth: Count | None = None
    entrepreneurs: Count | None = None


class Position(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A phone's position fix (WGS84 degrees) and its accuracy in metres."""

    lat: Annotated[float, Meta(ge=-90, le=90)]
    lon: Annotated[float, Meta(ge=-180, le=180)]
    accuracy_m: Annotated[float, Meta(ge=0, le=1_000_000)] | None = None


class MeetingFields(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A meeting's single-valued fields; each is last-writer-wins on its own."""

    plan_id: Annotated[int, Meta(ge=1, le=MAX_INT64)] | UnsetType | None = UNSET
    plan_meeting: Annotated[str, Meta(max_length=64)] | UnsetType | None = UNSET
    status: Literal["held", "cancelled", "postponed"] | UnsetType = UNSET
    reason: Annotated[str, Meta(max_length=500)] | UnsetType | None = UNSET
    date: date | UnsetType = UNSET
    start: Clock | UnsetType | None = UNSET
    hub: Kato | UnsetType = UNSET
    attendance: Attendance | UnsetType | None = UNSET
    notes: Text | UnsetType | None = UNSET
    position: Position | UnsetType | None = UNSET


class Question(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A resident's question, as the team wrote it down."""

    id: ItemId
    text: Annotated[str, Meta(min_length=1, max_length=2000)]


class Referral(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """People referred to a programme at the meeting."""

    id: ItemId
    programme: Programme
    count: Annotated[int, Meta(ge=1, le=10_000)] = 1
    note: Annotated[str, Meta(max_length=500)] | None = None


class Interested(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A resident to follow up: personal data, shown only to their team and coordinators."""

    id: ItemId
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    phone: PhoneText | None = None
    village: Kato | None = None
    interest: Annotated[str, Meta(max_length=500)] | None = None
    programme: Programme | None = None


class FollowupFields(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where an interested resident has got to, and each call or visit that told it; the
    record's id is the resident's item id. Every change of `status` or `via` becomes a line of
    the record's history (and of the resident's, docs/followup.md)."""

    meeting_id: Annotated[str, Meta(min_length=1, max_length=64)] | UnsetType = UNSET
    status: FollowupStatus | UnsetType = UNSET
    on: date | UnsetType = UNSET
    programme: Programme | UnsetType | None = UNSET
    note: Annotated[str, Meta(max_length=2000)] | UnsetType | None = UNSET
    via: Literal["call", "visit"] | UnsetType | None = UNSET
    next_contact: date | UnsetType | None = UNSET
    amount_tenge: Annotated[int, Meta(ge=0, le=10**13)] | UnsetType | None = UNSET
    funding_source: Annotated[str, Meta(max_length=200)] | UnsetType | None = UNSET
    reason: Annotated[str, Meta(max_length=500)] | UnsetType | None = UNSET


class VillagePositionFields(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A team's suggestion of where a village with an approximate position really is."""

    village: Kato | UnsetType = UNSET
    lat: Annotated[float, Meta(ge=-90, le=90)] | UnsetType = UNSET
    lon: Annotated[float, Meta(ge=-180, le=180)] | UnsetType = UNSET
    accuracy_m: Annotated[float, Meta(ge=0, le=1000000)] | UnsetType | None = UNSET
    note: Annotated[str, Meta(max_length=500)] | UnsetType | None = UNSET


Many = Meta(max_length=MAX_LIST_ITEMS)


class MeetingLists(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """Items added to a meeting's list fields."""

    villages: Annotated[list[Kato], Many] = []
    topics: Annotated[list[ShortText], Many] = []
    questions: Annotated[list[Question], Many] = []
    referrals: Annotated[list[Referral], Many] = []
    interested: Annotated[list[Interested], Many] = []
    photos: Annotated[list[Sha256], Many] = []


ItemKey = Annotated[str, Meta(min_length=1, max_length=64)]


class MeetingRemovals(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """Keys of items removed from a meeting's list fields (an item's id, or the string)."""

    villages: Annotated[list[ItemKey], Many] = []
    topics: Annotated[list[Annotated[str, Meta(max_length=500)]], Many] = []
    questions: Annotated[list[ItemKey], Many] = []
    referrals: Annotated[list[ItemKey], Many] = []
    interested: Annotated[list[ItemKey], Many] = []
    photos: Annotated[list[ItemKey], Many] = []


class NoLists(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A kind with no list fields."""


class KindSpec(msgspec.Struct, frozen=True):
    """What a kind of record is made of: its single fields, its list fields (objects keyed
    by `id`, strings by themselves), and which fields a new record must have."""

    fields: type[msgspec.Struct]
    adds: type[msgspec.Struct]
    removals: type[msgspec.Struct]
    lists: tuple[str, ...]
    required: tuple[str, ...]


SPECS: dict[str, KindSpec] = {
    "meeting": KindSpec(
        MeetingFields,
        MeetingLists,
        MeetingRemovals,
        ("villages", "topics", "questions", "referrals", "interested", "photos"),
        ("status", "date", "hub"),
    ),
    "followup": KindSpec(FollowupFields, NoLists, NoLists, (), ("meeting_id", "status")),
    "village_position": KindSpec(
        VillagePositionFields, NoLists, NoLists, (), ("village", "lat", "lon")
    ),
}

_PHONE_DIGITS = re.compile(r"[\s()\-.]")
# the same separators among ASCII characters (`\s` is str.isspace, which counts \x1c-\x1f),
# deleted by str.translate: a regex substitution cost ten times as much for every resident
_ASCII_SEPARATORS = dict.fromkeys(
    [ord(c) for c in map(chr, range(128)) if c.isspace() or c in "()-."]
)


def normalise_phone(raw: str) -> str | None:
    """A Kazakhstan number as +7XXXXXXXXXX (from +7, 8 or 7 and ten digits starting with 6 or
    7), or None if it is not one."""
    digits = raw.translate(_ASCII_SEPARATORS)
    if not digits.isascii():  # Unicode spaces are separators too
        digits = _PHONE_DIGITS.sub("", digits)
    if digits.startswith("+7"):
        digits = digits[2:]
    elif len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10 or not digits.isdigit() or digits[0] not in "67":
        return None
    return "+7" + digits


def phone_search(text: str) -> tuple[str | None, str | None]:
    """How a search text may match stored phones (+7XXXXXXXXXX): digits found anywhere in
    them (a whole number in any form normalised first, so `8 700 123 45 67` finds
    +77001234567), and, for a text begun the national way with 8, the stored prefix it
    stands for (`8 700` -> `+7700`); None where it has no digits."""
    whole = normalise_phone(text)
    if whole is not None:
        return whole[1:], None
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    if not digits:
        return None, None
    national = "+7" + digits[1:] if text.strip().startswith("8") and len(digits) <= 11 else None
    return digits, national


# free-text fields, where a tab, a newline or a carriage return may stand (as a path of keys,
# `*` for any item of a list); every other string refuses every C0 control character
FREE_TEXT: frozenset[tuple[str, ...]] = frozenset({
    ("set", "notes"), ("set", "reason"), ("set", "note"), ("add", "questions", "*", "text"),
    ("add", "referrals", "*", "note"), ("add", "interested", "*", "interest"),
})  # fmt: skip


def item_key(item: Any) -> str:
    """The key a list item is merged by: its `id`, or the string itself."""
    return item["id"] if isinstance(item, dict) else str(item)


def item_keys(items: Sequence[Any]) -> list[str]:
    """`item_key` of every item, in order, in one comprehension: a call per item cost 84 us a
    thousand topics, this 32 us (and less for the short lists of most records)."""
    try:
        return [item if type(item) is str else item["id"] for item in items]
    except TypeError:  # neither a string nor an object: as item_key has it
        return [item_key(item) for item in items]


def katos_in(doc: dict[str, Any]) -> set[str]:
    """Every village code a record's document names, to check against the gazetteer."""
    found: set[str] = set()
    for key in ("hub", "village"):
        if isinstance(doc.get(key), str):
            found.add(doc[key])
    found.update(doc.get("villages", []))
    found.update(item["village"] for item in doc.get("interested", []) if item.get("village"))
    return found


def rule_breaches(kind: str, doc: Mapping[str, Any]) -> list[str]:
    """Rules about a whole record that single fields cannot state; empty when it is sound."""
    problems: list[str] = []
    if kind == "meeting":
        if doc.get("status") in ("cancelled", "postponed") and not doc.get("reason"):
            problems.append("a cancelled or postponed meeting needs a reason")
        attendance = doc.get("attendance") or {}
        for group in ("women", "youth", "entrepreneurs"):
            if (attendance.get(group) or 0) > attendance.get("total", 0):
                problems.append(f"attendance: {group} is more than the total")
    return problems
