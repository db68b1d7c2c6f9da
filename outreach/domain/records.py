"""Field records a phone makes (meetings, follow-ups, suggested village positions): the fields
each kind has, which of them are lists merged by adds and removes, and their rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

Kind = Literal["meeting", "followup", "village_position"]
KINDS: tuple[Kind, ...] = ("meeting", "followup", "village_position")
Kato = Annotated[str, Meta(pattern=r"^\d{9}$", description="9-digit KATO code")]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$", description="lowercase hex SHA-256")]
ItemId = Annotated[str, Meta(min_length=1, max_length=64)]
Text = Annotated[str, Meta(max_length=4000)]
ShortText = Annotated[str, Meta(min_length=1, max_length=500)]
Count = Annotated[int, Meta(ge=0, le=100_000)]
Clock = Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local")]

Programme = Literal[
    "bastau_business", "microcredit", "land_plots", "utility_connections", "business_adviser",
    "entrepreneurs_house", "other",
]  # fmt: skip
PROGRAMMES: dict[str, dict[str, str]] = {
    "bastau_business": {"kk": "Бастау Бизнес", "ru": "Бастау Бизнес", "en": "Bastau Business"},
    "microcredit": {"kk": "Микронесие", "ru": "Микрокредит", "en": "Microcredit"},
    "land_plots": {"kk": "Жер телімдері", "ru": "Земельные участки", "en": "Land plots"},
    "utility_connections": {"kk": "Инженерлік желілерге қосылу",
                            "ru": "Подключение к сетям", "en": "Utility connections"},
    "business_adviser": {"kk": "Бизнес-кеңесші", "ru": "Бизнес-советник",
                         "en": "Business Adviser"},
    "entrepreneurs_house": {"kk": "Кәсіпкерлер үйі", "ru": "Дом предпринимателей",
                            "en": "Entrepreneurs' House"},
    "other": {"kk": "Басқа", "ru": "Другое", "en": "Other"},
}  # fmt: skip
FollowupStatus = Literal[
    "new", "contacted", "referred", "trained", "defended", "financed", "dropped",
]  # fmt: skip


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

    plan_id: Annotated[int, Meta(ge=1)] | None | UnsetType = UNSET
    plan_meeting: Annotated[str, Meta(max_length=64)] | None | UnsetType = UNSET
    status: Literal["held", "cancelled", "postponed"] | UnsetType = UNSET
    reason: Annotated[str, Meta(max_length=500)] | None | UnsetType = UNSET
    date: date | UnsetType = UNSET
    start: Clock | None | UnsetType = UNSET
    hub: Kato | UnsetType = UNSET
    attendance: Attendance | None | UnsetType = UNSET
    notes: Text | None | UnsetType = UNSET
    position: Position | None | UnsetType = UNSET


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
    phone: Annotated[str, Meta(max_length=40)] | None = None
    village: Kato | None = None
    interest: Annotated[str, Meta(max_length=500)] | None = None
    programme: Programme | None = None


class FollowupFields(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where an interested resident has got to; the record's id is the resident's item id."""

    meeting_id: Annotated[str, Meta(min_length=1, max_length=64)] | UnsetType = UNSET
    status: FollowupStatus | UnsetType = UNSET
    on: date | UnsetType = UNSET
    programme: Programme | None | UnsetType = UNSET
    note: Annotated[str, Meta(max_length=2000)] | None | UnsetType = UNSET


class VillagePositionFields(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A team's suggestion of where a village with an approximate position really is."""

    village: Kato | UnsetType = UNSET
    lat: Annotated[float, Meta(ge=-90, le=90)] | UnsetType = UNSET
    lon: Annotated[float, Meta(ge=-180, le=180)] | UnsetType = UNSET
    accuracy_m: Annotated[float, Meta(ge=0, le=1_000_000)] | None | UnsetType = UNSET
    note: Annotated[str, Meta(max_length=500)] | None | UnsetType = UNSET


class KindSpec(msgspec.Struct, frozen=True):
    """What a kind of record is made of: its single fields, its list fields (the type of an
    item, keyed by `id` for objects or by the value itself for strings), and which fields a
    new record must have."""

    fields: type[msgspec.Struct]
    lists: dict[str, Any]
    required: tuple[str, ...]


SPECS: dict[str, KindSpec] = {
    "meeting": KindSpec(
        MeetingFields,
        {"villages": Kato, "topics": ShortText, "questions": Question, "referrals": Referral,
         "interested": Interested, "photos": Sha256},
        ("status", "date", "hub"),
    ),
    "followup": KindSpec(FollowupFields, {}, ("meeting_id", "status")),
    "village_position": KindSpec(VillagePositionFields, {}, ("village", "lat", "lon")),
}  # fmt: skip

_PHONE_DIGITS = re.compile(r"[\s()\-.]")


def normalise_phone(raw: str) -> str | None:
    """A Kazakhstan number as +7XXXXXXXXXX (from +7, 8 or 7 and ten digits starting with 6 or
    7), or None if it is not one."""
    digits = _PHONE_DIGITS.sub("", raw)
    if digits.startswith("+7"):
        digits = digits[2:]
    elif len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10 or not digits.isdigit() or digits[0] not in "67":
        return None
    return "+7" + digits


def item_key(item: Any) -> str:
    """The key a list item is merged by: its `id`, or the string itself."""
    return item["id"] if isinstance(item, dict) else str(item)


def katos_in(kind: str, doc: dict[str, Any]) -> set[str]:
    """Every village code a record's document names, to check against the gazetteer."""
    found: set[str] = set()
    for key in ("hub", "village"):
        if isinstance(doc.get(key), str):
            found.add(doc[key])
    found.update(doc.get("villages", []))
    found.update(item["village"] for item in doc.get("interested", []) if item.get("village"))
    return found


def photos_in(doc: dict[str, Any]) -> list[str]:
    """The SHA-256 of every photo a record refers to."""
    return list(doc.get("photos", []))


def rule_breaches(kind: str, doc: dict[str, Any]) -> list[str]:
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
