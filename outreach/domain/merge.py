"""How a mutation changes a record: single fields last-writer-wins in server order, list fields
merged by adds and removes, deletes as tombstones; every value another writer set after the
version the phone saw, and that this mutation overwrites, is kept for review.

A batch works on one mutable `Working` record per record id: list items indexed by key once,
the document's size kept up to date change by change, so that a mutation costs the size of
the change and not the size of the record. Every check (limits, rules) runs before anything
is changed, so a refused mutation leaves the record as it was."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from outreach.domain.records import (
    MAX_LIST_ITEMS,
    MAX_RECORD_BYTES,
    SPECS,
    item_key,
    item_keys,
    rule_breaches,
)
from outreach.domain.sync import CheckedMutation, Rejection

_encode = msgspec.json.encode
_HISTORY = "history"


class RecordState(msgspec.Struct, kw_only=True):
    """A record as stored: its document, and per field (or list item, as `list/key`) the
    version that last set it and who did (`device:12`, `user:3`)."""

    id: str
    kind: str
    team_id: int
    version: int
    seq: int
    deleted: bool
    doc: dict[str, Any]
    writers: dict[str, tuple[int, str]]


class Overwrite(msgspec.Struct, frozen=True, kw_only=True):
    """A value that was replaced although its writer's change was newer than what the
    replacing phone had seen (`field` is `*` for a whole record)."""

    field: str
    value: Any
    writer: str
    version: int


def _size(value: Any) -> int:
    return len(_encode(value))


def _member(name: str, value: Any) -> int:
    """Bytes a member `"name":value,` adds to an encoded object."""
    return len(name) + 4 + _size(value)


class Working:
    """A record being changed: single fields, list items by key (in order), writers, and the
    bytes of its encoded document (kept up to date, never recomputed)."""

    __slots__ = ("deleted", "fields", "id", "kind", "lists", "seq", "size_bytes", "team_id",
                 "version", "writers")  # fmt: skip

    def __init__(self, state: RecordState, size_bytes: int | None = None) -> None:
        names = SPECS[state.kind].lists if state.kind in SPECS else ()
        self.id, self.kind, self.team_id = state.id, state.kind, state.team_id
        self.version, self.seq, self.deleted = state.version, state.seq, state.deleted
        self.fields = {k: v for k, v in state.doc.items() if k not in names}
        if isinstance(self.fields.get(_HISTORY), list):
            self.fields[_HISTORY] = list(self.fields[_HISTORY])  # appended to in place
        self.lists: dict[str, dict[str, Any]] = {
            name: dict(zip(item_keys(state.doc[name]), state.doc[name], strict=False))
            for name in names
            if name in state.doc
        }
        self.writers = dict(state.writers)
        self.size_bytes = _size(state.doc) if size_bytes is None else size_bytes

    @classmethod
    def new(cls, record_id: str, kind: str, team_id: int) -> Working:
        """A record the server does not have yet (version 0, empty)."""
        empty = RecordState(id=record_id, kind=kind, team_id=team_id, version=0, seq=0,
                            deleted=False, doc={}, writers={})  # fmt: skip
        return cls(empty, size_bytes=2)

    def doc(self) -> dict[str, Any]:
        """The document: single fields, then each list in its order."""
        return {**self.fields, **{name: list(items.values()) for name, items in self.lists.items()}}

    def state(self) -> RecordState:
        """The record as stored (its document built once, when it is saved or sent)."""
        return RecordState(id=self.id, kind=self.kind, team_id=self.team_id,
                           version=self.version, seq=self.seq, deleted=self.deleted,
                           doc=self.doc(), writers=dict(self.writers))  # fmt: skip


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """What one mutation did: the record it changed (None when nothing changed), what it
    overwrote, and whether that makes it a conflict."""

    work: Working | None
    overwrites: list[Overwrite]
    status: Literal["applied", "conflict"]


class Merge(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome: the record's new state (None when nothing changed), what was overwritten,
    and whether that makes the mutation a conflict."""

    state: RecordState | None
    overwrites: list[Overwrite]
    status: Literal["applied", "conflict"]


def merge(
    current: RecordState | None, checked: CheckedMutation, writer: str, team_id: int
) -> Merge:
    """Apply one checked mutation to a copy of a record (None if the server has none yet)."""
    work = None if current is None else Working(current)
    change = apply(work, checked, writer, team_id)
    state = None if change.work is None else change.work.state()
    return Merge(state=state, overwrites=change.overwrites, status=change.status)


def apply(work: Working | None, checked: CheckedMutation, writer: str, team_id: int) -> Change:
    """Apply one checked mutation to a working record in place (None if the server has none
    yet: the change then holds a new one); Rejection, with the record untouched, if it can
    never be applied."""
    if work is not None and work.kind != checked.kind:
        raise Rejection("kind_mismatch", f"record {checked.record_id} is a {work.kind}")
    if checked.op == "delete":
        return _delete(work, checked, writer, team_id)
    if work is not None and work.deleted:
        lost = {"set": checked.fields, "add": checked.adds, "remove": checked.removes}
        overwrite = Overwrite(field="*", value=lost, writer=writer, version=0)
        return Change(work=None, status="conflict", overwrites=[overwrite])
    if work is None:
        if checked.base_version != 0:
            raise Rejection("unknown_record", f"no record {checked.record_id} to change")
        work = Working.new(checked.record_id, checked.kind, team_id)
    step = _history_step(work, checked, writer)
    size_bytes = _check(work, checked, step)
    work.version += 1
    overwrites = _set_fields(work, checked, writer)
    if step is not None:
        work.fields.setdefault(_HISTORY, []).append(step)
    overwrites += _merge_lists(work, checked, writer)
    work.size_bytes = size_bytes
    return Change(work=work, overwrites=overwrites, status="conflict" if overwrites else "applied")


def _history_step(work: Working, checked: CheckedMutation, writer: str) -> dict[str, Any] | None:
    # the funnel counts the furthest stage ever reached, so every status change is kept
    if work.kind != "followup" or not ({"status", "via"} & checked.fields.keys()):
        return None
    view = ChainMap(checked.fields, work.fields)
    step = {"status": view.get("status"), "on": view.get("on"), "by": writer}
    # a call or a visit keeps what it told, so that the resident's history holds every one
    step.update({k: checked.fields[k] for k in _TOLD if checked.fields.get(k) is not None})
    return step


_TOLD = ("via", "note", "next_contact", "amount_tenge", "funding_source", "reason", "programme")


def _check(work: Working, checked: CheckedMutation, step: dict[str, Any] | None) -> int:
    """Refuse, before anything changes, a mutation that would break a rule or a limit; the
    document's size after it."""
    # a new record has no fields of its own: the mutation's are the record's
    view: Mapping[str, Any] = (
        ChainMap(checked.fields, work.fields) if work.fields else checked.fields
    )
    missing = [f for f in SPECS[work.kind].required if view.get(f) is None]
    if missing:
        raise Rejection("missing_fields", f"a new {work.kind} needs {', '.join(missing)}")
    problems = rule_breaches(work.kind, view)
    if problems:
        raise Rejection("rule_broken", "; ".join(problems))
    size = work.size_bytes
    if not work.fields and checked.fields:
        # every field is new: their members with a comma each, as their object's encoding
        # has them (`{a,b}`: a, b, one comma and the braces), one encode in all
        size += len(_encode(checked.fields)) - 1
    for field, value in checked.fields.items() if work.fields else ():
        old = work.fields.get(field, _ABSENT)
        size += _member(field, value) - (0 if old is _ABSENT else _member(field, old))
    if step is not None:
        history = work.fields.get(_HISTORY, [])
        _count(_HISTORY, len(history) + 1)
        size += _size(step) + 1 + (0 if history else len(_HISTORY) + 6)
    for name in {*checked.adds, *checked.removes}:
        size += _list_growth(work, checked, name)
    if size > MAX_RECORD_BYTES:
        raise Rejection(
            "record_too_large",
            f"the record would be {size} bytes; a record may hold at most {MAX_RECORD_BYTES}",
        )
    return size


_ABSENT = object()


def _count(name: str, count: int) -> None:
    if count > MAX_LIST_ITEMS:
        raise Rejection(
            "too_many_items",
            f"{name} would hold {count} items; a record's list may hold at most {MAX_LIST_ITEMS}",
        )


def _list_growth(work: Working, checked: CheckedMutation, name: str) -> int:
    """Check one list's item count after the mutation; the bytes it adds (or takes away)."""
    items = work.lists.get(name, {})
    adds = checked.adds.get(name, ())
    keys = item_keys(adds)
    if not items and len(set(keys)) == len(keys):
        # a list begun (or empty): each item adds its encoding and a comma, as the list's
        # encoding does (`[a,b]` is a, b, one comma and the brackets), one encode in all
        _count(name, len(adds))
        growth = len(_encode(adds)) - 1 if adds else 0
        return growth + (0 if name in work.lists else len(name) + 6)
    removed = {key for key in checked.removes.get(name, ()) if key in items}
    # the count first, with set operations over the change alone: a mutation over the limit
    # is refused before any item is encoded (a flood of them once cost 1 ms each)
    added = set(keys)
    _count(name, len(items) - len(removed) + len(added.difference(items)) + len(removed & added))
    growth = -sum(_size(items[key]) + 1 for key in removed)
    for key, item in zip(keys, adds, strict=False):  # keys: of adds, one each
        if key in items and key not in removed:
            growth += _size(item) - _size(items[key])
        else:
            growth += _size(item) + 1
    return growth + (0 if name in work.lists else len(name) + 6)


def seen(work: Working, checked: CheckedMutation) -> int:
    """The version of the record the phone had seen: its `base_version`, unless that is ahead
    of the record's (a phone cannot have seen what was never written: a forged number, or a
    server restored from a backup older than the phone's copy), then none of it, so that
    every value another writer set counts as overwritten and is kept for review (a huge
    `base_version` overwrote, and deleted, other phones' values with nothing for review)."""
    return checked.base_version if checked.base_version <= work.version else 0


def _newer_elsewhere(work: Working, key: str, writer: str, base_version: int) -> bool:
    last = work.writers.get(key)
    return last is not None and last[0] > base_version and last[1] != writer


def _set_fields(work: Working, checked: CheckedMutation, writer: str) -> list[Overwrite]:
    overwrites = []
    for field, value in checked.fields.items():
        old = work.fields.get(field)
        if old != value and _newer_elsewhere(work, field, writer, seen(work, checked)):
            last = work.writers[field]
            overwrites.append(Overwrite(field=field, value=old, writer=last[1], version=last[0]))
        work.fields[field] = value
        work.writers[field] = (work.version, writer)
    return overwrites


def _merge_lists(work: Working, checked: CheckedMutation, writer: str) -> list[Overwrite]:
    overwrites = []
    for name in {*checked.adds, *checked.removes}:
        items = work.lists.setdefault(name, {})
        for key in checked.removes.get(name, ()):
            items.pop(key, None)
            work.writers.pop(f"{name}/{key}", None)
        if not items:  # nothing there to overwrite
            stamp = (work.version, writer)
            for item in checked.adds.get(name, ()):
                key = item_key(item)
                items[key] = item
                work.writers[f"{name}/{key}"] = stamp
            continue
        for item in checked.adds.get(name, ()):
            key = item_key(item)
            slot, old = f"{name}/{key}", items.get(key)
            if (
                old is not None
                and old != item
                and _newer_elsewhere(work, slot, writer, seen(work, checked))
            ):
                last = work.writers[slot]
                overwrites.append(Overwrite(field=slot, value=old, writer=last[1], version=last[0]))
            items[key] = item
            work.writers[slot] = (work.version, writer)
    return overwrites


def _delete(work: Working | None, checked: CheckedMutation, writer: str, team_id: int) -> Change:
    if work is not None and work.deleted:
        return Change(work=None, overwrites=[], status="applied")
    if work is None:
        work = Working.new(checked.record_id, checked.kind, team_id)
    overwrites = []
    # a record is deleted once, so looking at all of it here costs its size once
    base = seen(work, checked)
    if any(last[0] > base and last[1] != writer for last in work.writers.values()):
        value = work.doc()
        overwrites.append(
            Overwrite(field="*", value=value, writer="(record)", version=work.version)
        )
    work.version += 1
    work.deleted = True
    work.fields, work.lists, work.writers, work.size_bytes = {}, {}, {}, 2
    return Change(work=work, overwrites=overwrites, status="conflict" if overwrites else "applied")
