"""The sync review queue: what a coordinator must look at because sync settled it alone."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

ReviewList = Literal["overwrites", "parked"]
Decision = Literal["keep", "restore"]


class ReviewContext(msgspec.Struct, frozen=True, kw_only=True):
    """What a review item is about, from the record as it is now (or, for a mutation that
    never made a record, from what it carried): its kind, the meeting's date, team, hub,
    villages and status."""

    kind: str | None = None
    date: str | None = None
    team: str | None = None
    hub: str | None = None
    villages: list[str] = []
    status: str | None = None


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
    context: ReviewContext | None = None


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
    context: ReviewContext | None = None


class ReviewQueue(msgspec.Struct, frozen=True, kw_only=True):
    """Open items of both lists, oldest first (at most the limit asked of each), and how many
    of each are open in all."""

    overwrites: list[OverwriteItem]
    parked: list[ParkedItem]
    open_overwrites: int
    open_parked: int


class Resolution(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A coordinator's decision: `keep` what sync settled, or `restore` the overwritten value
    (overwrites only: it becomes the record's current value again, and phones receive it at
    their next pull); with a comment that is kept."""

    action: Decision = "keep"
    comment: Annotated[str, Meta(max_length=1000)] | None = None


class Resolved(msgspec.Struct, frozen=True, kw_only=True):
    """A review item marked as done, with the decision and its comment."""

    list: ReviewList
    id: int
    resolved_by: str
    action: Decision = "keep"
    comment: str | None = None
    resolved_at: str | None = None
