"""The sync protocol's messages: pushed mutations and their results, pulled pages, cursors, and
what a device reports about itself. docs/sync.md describes them for client writers."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, Literal, get_args

import msgspec
from msgspec import Meta

from outreach.domain.records import (
    FREE_TEXT,
    FollowupFields,
    MeetingFields,
    MeetingLists,
    MeetingRemovals,
    NoLists,
    VillagePositionFields,
    item_keys,
    normalise_phone,
)
from outreach.domain.wire import MAX_INT64, printable
from outreach.domain.wire import control_character as control_character_in

MAX_BATCH_MUTATIONS = 500
MAX_PULL_LIMIT = 5000
MAX_PULL_PAGE_BYTES = 4 * 1_048_576
"""A pull page holds records up to this many bytes of documents (and always at least one)."""
# what a phone says about itself is stored: no control characters in it
Printable = Meta(pattern=r"^[^\x00-\x1f]*$")
Uuid = Annotated[
    str,
    Meta(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="a UUID, lowercase, made by the client",
    ),
]
Status = Literal["applied", "duplicate", "conflict", "rejected"]
RejectionReason = Literal[
    "malformed",  # not a mutation at all, or a field of the wrong type
    "invalid_field",  # a field or list item breaks its rule (a length, a range, a pattern)
    "control_character",
    "invalid_phone",
    "kind_mismatch",
    "unknown_record",
    "missing_fields",
    "rule_broken",  # a rule about the whole record (a cancelled meeting needs a reason)
    "record_too_large",
    "too_many_items",
    "unknown_village",
    "unknown_meeting",
    "unknown_resident",
    "unknown_plan_meeting",
    "mutation_id_reused",
]
REJECTION_REASONS: tuple[str, ...] = get_args(RejectionReason)
"""Every reason a pushed mutation can be refused for; a phone has a text for each."""


class _MutationBase(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag_field="kind"
):
    mutation_id: Uuid
    record_id: Uuid
    op: Literal["put", "delete"] = "put"
    base_version: Annotated[int, Meta(ge=0, le=MAX_INT64)] = 0
    made_at: Annotated[str, Meta(max_length=40)] | None = None


class MeetingMutation(_MutationBase, frozen=True, tag="meeting"):
    """One change a phone made to one record: only the changed single fields (`set`), items
    added to or removed from list fields, or a delete. `base_version` is the record's version
    the phone last saw (0 for a record it creates); `made_at` is the phone's clock, kept as
    reported and never used for ordering."""

    set: MeetingFields = msgspec.field(default_factory=MeetingFields)
    add: MeetingLists = msgspec.field(default_factory=MeetingLists)
    remove: MeetingRemovals = msgspec.field(default_factory=MeetingRemovals)


class FollowupMutation(_MutationBase, frozen=True, tag="followup"):
    """A change to a follow-up (see MeetingMutation)."""

    set: FollowupFields = msgspec.field(default_factory=FollowupFields)
    add: NoLists = msgspec.field(default_factory=NoLists)
    remove: NoLists = msgspec.field(default_factory=NoLists)


class VillagePositionMutation(_MutationBase, frozen=True, tag="village_position"):
    """A change to a suggested village position (see MeetingMutation)."""

    set: VillagePositionFields = msgspec.field(default_factory=VillagePositionFields)
    add: NoLists = msgspec.field(default_factory=NoLists)
    remove: NoLists = msgspec.field(default_factory=NoLists)


Mutation = MeetingMutation | FollowupMutation | VillagePositionMutation


class _Envelope(msgspec.Struct, frozen=True):
    """What identifies a mutation, read from one that failed its types."""

    mutation_id: Uuid
    record_id: Uuid
    kind: str = ""
    op: str = "put"


class DeviceReport(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a phone says about itself on every sync: records waiting in its outbox, its app
    version and its clock (ISO 8601), from which the server works out the clock's offset."""

    pending: Annotated[int, Meta(ge=0, le=10_000_000)] = 0
    app_version: Annotated[str, Meta(max_length=40), Printable] | None = None
    clock: Annotated[str, Meta(max_length=40), Printable] | None = None


class PushRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A batch of at most 500 mutations, applied in order, each on its own merits."""

    mutations: list[msgspec.Raw]
    device: DeviceReport | None = None


class MutationResult(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What became of one mutation. `applied` and `conflict` both stored it (a conflict
    overwrote another writer's newer values, which wait in the review queue) and carry the
    record's new `version` and `seq`; `conflict` also carries the server's `record`.
    `duplicate` means the mutation id was seen before: `original` is the first result,
    unchanged. `rejected` carries a `reason` code and a `message` and is not retried."""

    mutation_id: str | None
    status: Status
    record_id: str | None = None
    version: int | None = None
    seq: int | None = None
    reason: RejectionReason | None = None
    message: str | None = None
    overwritten: list[str] | None = None
    record: msgspec.Raw | None = None
    original: msgspec.Raw | None = None


class PushResponse(msgspec.Struct, frozen=True, kw_only=True):
    """One result per mutation, in the order the mutations were sent."""

    results: list[MutationResult]
    server_time: str


class PullRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Changes after `cursor` (null for everything), at most `limit` records a page; the etags
    of the plan and reference data the phone holds, so they come only when they changed."""

    cursor: Annotated[str, Meta(max_length=200), Printable] | None = None
    limit: Annotated[int, Meta(ge=1, le=MAX_PULL_LIMIT)] = 1000
    plan_etag: Annotated[str, Meta(max_length=100), Printable] | None = None
    reference_etag: Annotated[str, Meta(max_length=100), Printable] | None = None
    device: DeviceReport | None = None


class RecordOut(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A record as the server holds it: `data` is its document; a tombstone has
    `deleted: true` and no data."""

    id: str
    kind: str
    version: int
    seq: int
    deleted: bool = False
    data: msgspec.Raw | None = None


class Document(msgspec.Struct, frozen=True, kw_only=True):
    """The team's plan or the reference data, whole, with the etag to send back next time."""

    etag: str
    body: msgspec.Raw


class PullPage(msgspec.Struct, frozen=True, kw_only=True):
    """A page of changes in server order. Keep `cursor` for the next pull; `more` says another
    page is waiting; the last page carries the plan and the reference data if they changed.
    `reset: true` means the phone's cursor is not from this server (or this
    team, or is older than the kept tombstones): drop the synced copy, keep the outbox, and
    apply this page as the start of a full pull."""

    server_id: str
    cursor: str
    more: bool
    reset: bool
    records: list[RecordOut]
    plan: Document | None = None
    reference: Document | None = None


class Cursor(msgspec.Struct, frozen=True):
    """Where a phone is in the change stream: server identity, team, last sequence number."""

    server_id: str
    team_id: int
    seq: int

    def encode(self) -> str:
        """The opaque string a phone keeps."""
        return f"{self.server_id}.{self.team_id}.{self.seq}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """A cursor from its string; None when absent or malformed (a full pull follows)."""
        if not text:
            return None
        parts = text.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(parts[0], int(parts[1]), int(parts[2]))


class CheckedMutation(msgspec.Struct, frozen=True, kw_only=True):
    """A decoded mutation whose fields and items passed their types, as plain JSON values,
    with the SHA-256 of its canonical form (to tell a replay from a reused id)."""

    mutation_id: str
    record_id: str
    kind: str
    op: str
    base_version: int
    fields: dict[str, Any]
    adds: dict[str, list[Any]]
    removes: dict[str, list[str]]
    content_sha256: str


class Rejection(Exception):
    """A mutation that can never be applied: `reason` is the stable code. `checked` is the
    mutation when at least its envelope decoded (so the refusal can be kept under its id)."""

    def __init__(self, reason: RejectionReason, message: str) -> None:
        message = printable(message)  # stored and shown: never a control character in it
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.checked: CheckedMutation | None = None


_decoder = msgspec.json.Decoder(Mutation)
_loose = msgspec.json.Decoder(_Envelope)
_any = msgspec.json.Decoder()
_LIST_PARTS = ("`$.set", "`$.add", "`$.remove")


# a control character can only be in JSON text escaped (\u0000, \n ...): when none of these
# appears, none is there, and the mutation need not be decoded twice. A raw C0 byte is looked
# for by deleting them all (a C loop), escapes only where a backslash stands: one regex with
# alternatives tried at every byte cost ten times as much
_C0_BYTES = bytes(range(0x20))
_SUSPECT_ESCAPE = re.compile(rb"\\(?:u00[01]|[bfnrt])")


def suspect(raw: bytes) -> bool:
    """Whether a JSON text may hold a control character (raw, or escaped in a string)."""
    if len(raw.translate(None, _C0_BYTES)) != len(raw):
        return True
    return b"\\" in raw and _SUSPECT_ESCAPE.search(raw) is not None


def control_character(raw: bytes) -> str | None:
    """Where in a mutation a C0 control character stands that may not (a tab, newline or
    carriage return only in free text, such as notes), as a path of keys; None when none
    does."""
    if not suspect(raw):
        return None
    try:
        value = _any.decode(raw)
    except msgspec.DecodeError:
        return None  # not JSON: refused as malformed
    return _find_control(value, ())


def _find_control(value: Any, path: tuple[str, ...]) -> str | None:
    if isinstance(value, str):
        bad = control_character_in(value, free_text=path in FREE_TEXT)
        return (".".join(path) or "the mutation") if bad else None
    if isinstance(value, dict):
        for key, inner in value.items():
            if control_character_in(key, free_text=False):
                return f"a key of {'.'.join(path) or 'the mutation'}"
            if found := _find_control(inner, (*path, key)):
                return found
    elif isinstance(value, list):
        for inner in value:
            if found := _find_control(inner, (*path, "*")):
                return found
    return None


def check(raw: msgspec.Raw | bytes) -> CheckedMutation:
    """Decode one mutation and type-check its fields and list items in one pass; Rejection
    if it can never be applied (with the mutation's identity when that much decoded).
    Control characters are looked for first, since a decoding error may quote the value."""
    where = control_character(bytes(raw))
    if where is not None:
        rejection = Rejection(
            "control_character",
            f"{where}: a control character (only tab, newline and carriage return, and only"
            " in free text such as notes)",
        )
        rejection.checked = envelope(raw)
        raise rejection
    try:
        typed = _decoder.decode(raw)
    except msgspec.DecodeError as error:
        rejection = Rejection("malformed", str(error))
        if isinstance(error, msgspec.ValidationError):
            if any(part in str(error) for part in _LIST_PARTS):
                rejection.reason = "invalid_field"
            rejection.checked = envelope(raw)
        raise rejection from None
    checked = CheckedMutation(
        mutation_id=typed.mutation_id, record_id=typed.record_id,
        kind=SPEC_KIND[type(typed)], op=typed.op, base_version=typed.base_version,
        fields=msgspec.to_builtins(typed.set), adds=msgspec.to_builtins(typed.add),
        removes=msgspec.to_builtins(typed.remove),
        content_sha256=hashlib.sha256(msgspec.json.encode(typed)).hexdigest(),
    )  # fmt: skip
    try:
        _check_items(checked.adds)
    except Rejection as rejection:
        rejection.checked = checked
        raise
    return checked


SPEC_KIND: dict[type, str] = {MeetingMutation: "meeting", FollowupMutation: "followup",
                              VillagePositionMutation: "village_position"}  # fmt: skip


def envelope(raw: msgspec.Raw | bytes) -> CheckedMutation | None:
    """What identifies a mutation that failed its types (None when not even that reads)."""
    try:
        loose = _loose.decode(raw)
    except msgspec.DecodeError:
        return None
    canonical = msgspec.json.encode(_any.decode(raw), order="sorted")
    return CheckedMutation(mutation_id=loose.mutation_id, record_id=loose.record_id,
                           kind=loose.kind, op=loose.op, base_version=0, fields={},
                           adds={}, removes={},
                           content_sha256=hashlib.sha256(canonical).hexdigest())  # fmt: skip


def _check_items(adds: dict[str, list[Any]]) -> None:
    for item in adds.get("interested", ()):
        if item.get("phone"):
            phone = normalise_phone(item["phone"])
            if phone is None:
                raise Rejection("invalid_phone", "interested: not a Kazakhstan phone number")
            item["phone"] = phone
    for name, items in adds.items():
        keys = item_keys(items)
        if len(set(keys)) != len(keys):
            raise Rejection("invalid_field", f"{name}: the same item twice")
