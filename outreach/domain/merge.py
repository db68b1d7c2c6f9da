"""How a mutation changes a record: single fields last-writer-wins in server order, list fields
merged by adds and removes, deletes as tombstones; every value another writer set after the
version the phone saw, and that this mutation overwrites, is kept for review."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from outreach.domain.records import SPECS, item_key, rule_breaches
from outreach.domain.sync import CheckedMutation, Rejection


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


class Merge(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome: the record's new state (None when nothing changed), what was overwritten,
    and whether that makes the mutation a conflict."""

    state: RecordState | None
    overwrites: list[Overwrite]
    status: Literal["applied", "conflict"]


def merge(
    current: RecordState | None, checked: CheckedMutation, writer: str, team_id: int
) -> Merge:
    """Apply one checked mutation to a record (None if the server has none yet)."""
    mutation = checked
    if current is not None and current.kind != mutation.kind:
        raise Rejection("kind_mismatch", f"record {mutation.record_id} is a {current.kind}")
    if mutation.op == "delete":
        return _delete(current, mutation, writer, team_id)
    if current is not None and current.deleted:
        lost = {"set": checked.fields, "add": checked.adds, "remove": checked.removes}
        return Merge(
            state=None,
            status="conflict",
            overwrites=[Overwrite(field="*", value=lost, writer=writer, version=0)],
        )
    if current is None:
        if mutation.base_version != 0:
            raise Rejection("unknown_record", f"no record {mutation.record_id} to change")
        current = RecordState(
            id=mutation.record_id,
            kind=mutation.kind,
            team_id=team_id,
            version=0,
            seq=0,
            deleted=False,
            doc={},
            writers={},
        )
    state = RecordState(
        id=current.id,
        kind=current.kind,
        team_id=current.team_id,
        version=current.version + 1,
        seq=current.seq,
        deleted=False,
        doc=dict(current.doc),
        writers=dict(current.writers),
    )
    overwrites = _set_fields(state, checked, writer, mutation.base_version)
    if state.kind == "followup" and "status" in checked.fields:
        # the funnel counts the furthest stage ever reached, so every status change is kept
        step = {"status": state.doc["status"], "on": state.doc.get("on"), "by": writer}
        state.doc["history"] = [*state.doc.get("history", []), step]
    overwrites += _merge_lists(state, checked, writer, mutation.base_version)
    _check_whole(state)
    return Merge(state=state, overwrites=overwrites, status="conflict" if overwrites else "applied")


def _newer_elsewhere(state: RecordState, key: str, writer: str, base_version: int) -> bool:
    last = state.writers.get(key)
    return last is not None and last[0] > base_version and last[1] != writer


def _set_fields(
    state: RecordState, checked: CheckedMutation, writer: str, base_version: int
) -> list[Overwrite]:
    overwrites = []
    for field, value in checked.fields.items():
        old = state.doc.get(field)
        if old != value and _newer_elsewhere(state, field, writer, base_version):
            last = state.writers[field]
            overwrites.append(Overwrite(field=field, value=old, writer=last[1], version=last[0]))
        state.doc[field] = value
        state.writers[field] = (state.version, writer)
    return overwrites


def _merge_lists(
    state: RecordState, checked: CheckedMutation, writer: str, base_version: int
) -> list[Overwrite]:
    overwrites = []
    for name in {*checked.adds, *checked.removes}:
        adds, removes = checked.adds.get(name, []), set(checked.removes.get(name, []))
        items = {item_key(item): item for item in state.doc.get(name, [])}
        for key in removes:
            items.pop(key, None)
            state.writers.pop(f"{name}/{key}", None)
        for item in adds:
            key, slot = item_key(item), f"{name}/{item_key(item)}"
            old = items.get(key)
            if (
                old is not None
                and old != item
                and _newer_elsewhere(state, slot, writer, base_version)
            ):
                last = state.writers[slot]
                overwrites.append(Overwrite(field=slot, value=old, writer=last[1], version=last[0]))
            items[key] = item
            state.writers[slot] = (state.version, writer)
        state.doc[name] = list(items.values())
    return overwrites


def _check_whole(state: RecordState) -> None:
    missing = [f for f in SPECS[state.kind].required if state.doc.get(f) is None]
    if missing:
        raise Rejection("missing_fields", f"a new {state.kind} needs {', '.join(missing)}")
    problems = rule_breaches(state.kind, state.doc)
    if problems:
        raise Rejection("rule_broken", "; ".join(problems))


def _delete(
    current: RecordState | None, mutation: CheckedMutation, writer: str, team_id: int
) -> Merge:
    if current is not None and current.deleted:
        return Merge(state=None, overwrites=[], status="applied")
    overwrites = []
    if current is not None and any(
        last[0] > mutation.base_version and last[1] != writer for last in current.writers.values()
    ):
        overwrites.append(
            Overwrite(field="*", value=current.doc, writer="(record)", version=current.version)
        )
    version = 1 if current is None else current.version + 1
    state = RecordState(
        id=mutation.record_id,
        kind=mutation.kind,
        version=version,
        deleted=True,
        doc={},
        writers={},
        seq=0,
        team_id=team_id if current is None else current.team_id,
    )
    return Merge(state=state, overwrites=overwrites, status="conflict" if overwrites else "applied")
