"""The sync review queue: what a coordinator must look at because sync settled it alone."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

ReviewList = Literal["overwrites", "parked"]


class OverwriteItem(msgspec.Struct, frozen=True, kw_only=True):
    """A value replaced by `by_writer`'s mutation although `writer` had set it (at `version`)
    after the version that mutation was based on; `field` is `list/item` for a list item and
    `*` for a whole record."""

    id: int
    record_id: str
    field: str
    value: Any
    writer: str
    version: int
    mutation_id: str
    by_writer: str
    at: str


class ParkedItem(msgspec.Struct, frozen=True, kw_only=True):
    """A mutation the server refused for good: its reason, and its content as sent."""

    id: int
    mutation_id: str | None
    device: str
    login: str
    reason: str
    message: str
    content: Any
    at: str


class ReviewQueue(msgspec.Struct, frozen=True, kw_only=True):
    """Open items of both lists, oldest first."""

    overwrites: list[OverwriteItem]
    parked: list[ParkedItem]


class Resolved(msgspec.Struct, frozen=True, kw_only=True):
    """A review item marked as done."""

    list: ReviewList
    id: int
    resolved_by: str
