"""A push's batch applied in memory: every mutation checked, merged into the records it names
and given its own result, and what is to be written encoded. CPU work, for a worker thread;
the reads before it and the writes after it are sync_writer.py's."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

import msgspec

from outreach.db import sync as sql
from outreach.domain.merge import Overwrite, RecordState, Working, apply
from outreach.domain.records import katos_in
from outreach.domain.residents import PROGRAMME_ERA
from outreach.domain.sync import (
    CheckedMutation,
    MutationResult,
    RecordOut,
    Rejection,
    check,
    envelope,
)

_encode = msgspec.json.encode


class Batch:
    """One push being applied: what the transaction read, and what it will write. `run` is
    CPU work (decoding records, merging, encoding) for a worker thread."""

    def __init__(self, device_id: int, team_id: int, last_seq: int) -> None:
        self.writer = f"device:{device_id}"
        self.device_id = device_id
        self.team_id = team_id
        self.seq = last_seq
        self.records: dict[str, Working] = {}
        self.villages: set[str] = set()
        self.plan_meetings: set[tuple[int, str]] = set()
        self.seen: dict[str, sql.StoredMutation] = {}
        self.changed: dict[str, Working] = {}
        self.overwrites: list[tuple[str, str, str, Overwrite]] = []
        self.parked: list[tuple[str | None, int, str, str, bytes | str]] = []
        # per result: the mutation it answers (None: answered by position only), and for a
        # mutation repeated within the batch, the index of its first result
        self._answered: list[CheckedMutation | None] = []
        self._first: dict[str, int] = {}
        self._repeats: dict[int, int] = {}
        self._replayed: set[int] = set()
        self._last_conflict: dict[str, int] = {}

    def run(
        self,
        raws: list[msgspec.Raw],
        checked: list[CheckedMutation | Rejection],
        stored: dict[str, sql.StoredRecord],
    ) -> Applied:
        """Decode the records read, apply every mutation in order, and encode what is to be
        written and answered, each record once."""
        self.records = {key: Working(s.state(), s.size_bytes or None) for key, s in stored.items()}
        pairs = _breathing(zip(raws, checked, strict=True))
        results = [self.take(i, raw, c) for i, (raw, c) in enumerate(pairs)]
        for record_id, index in self._last_conflict.items():
            # the record is sent once, with the last conflict of the batch: it is the
            # server's record after the whole batch
            record = msgspec.Raw(_encode(_record_of(self.records[record_id])))
            results[index] = msgspec.structs.replace(results[index], record=record)
        rows: list[tuple[str, int, str, str, bytes]] = []
        encoded: dict[int, bytes] = {}
        for index, (mutation, result) in enumerate(zip(self._answered, results, strict=True)):
            if mutation is None or index in self._repeats or index in self._replayed:
                continue
            encoded[index] = _encode(result)
            rows.append((mutation.mutation_id, self.device_id, mutation.record_id,
                         mutation.content_sha256, encoded[index]))  # fmt: skip
        for index, first in self._repeats.items():
            mutation = self._answered[index]
            assert mutation is not None
            first_mutation = self._answered[first]
            assert first_mutation is not None
            stored_first = sql.StoredMutation(first_mutation.content_sha256, encoded[first])
            results[index] = _replay(mutation, stored_first)
        records = [sql.encoded(work.state()) for work in self.changed.values()]
        self.parked = [(*p[:4], sql.parked_text(_kept(p[4], p[0]))) for p in self.parked]
        return Applied(results=results, records=records, mutations=rows)

    def take(
        self, index: int, raw: msgspec.Raw, checked: CheckedMutation | Rejection
    ) -> MutationResult:
        """The result of one mutation, with its effects queued for writing. A mutation whose
        identity could not be read is parked and answered by position only; every other is
        kept under its id with its result, so that a replay gets the same answer."""
        envelope = checked.checked if isinstance(checked, Rejection) else checked
        self._answered.append(envelope)
        if envelope is None:
            assert isinstance(checked, Rejection)
            self.parked.append((None, self.device_id, checked.reason, checked.message, bytes(raw)))
            message = f"mutation {index}: {checked.message}"
            return MutationResult(
                mutation_id=None, status="rejected", reason=checked.reason, message=message
            )
        stored = self.seen.get(envelope.mutation_id)
        if stored is not None:
            self._replayed.add(index)
            return _replay(envelope, stored)
        if envelope.mutation_id in self._first:
            self._repeats[index] = self._first[envelope.mutation_id]
            return MutationResult(mutation_id=envelope.mutation_id, status="duplicate")
        self._first[envelope.mutation_id] = index
        try:
            if isinstance(checked, Rejection):
                raise checked
            result = self._apply(checked)
        except Rejection as rejection:
            result = MutationResult(
                mutation_id=envelope.mutation_id,
                status="rejected",
                record_id=envelope.record_id,
                reason=rejection.reason,
                message=rejection.message,
            )
            parked = (envelope.mutation_id, self.device_id, rejection.reason, rejection.message)
            self.parked.append((*parked, bytes(raw)))
        if result.status == "conflict":
            self._last_conflict[envelope.record_id] = index
        return result

    def _apply(self, mutation: CheckedMutation) -> MutationResult:
        current = self.records.get(mutation.record_id)
        if current is not None and current.team_id != self.team_id:
            # another team's record is, to this phone, no record at all
            raise Rejection("unknown_record", f"no record {mutation.record_id}")
        self._check_references(mutation)
        change = apply(current, mutation, self.writer, self.team_id)
        work = change.work if change.work is not None else current
        if change.work is not None:
            self.seq += 1
            change.work.seq = self.seq
            self.records[change.work.id] = change.work
            self.changed[change.work.id] = change.work
        self.overwrites += [
            (mutation.record_id, mutation.mutation_id, self.writer, o) for o in change.overwrites
        ]
        return MutationResult(
            mutation_id=mutation.mutation_id,
            record_id=mutation.record_id,
            status=change.status,
            version=work.version if work else None,
            seq=work.seq if work else None,
            overwritten=[o.field for o in change.overwrites] or None,
        )

    def _check_references(self, checked: CheckedMutation) -> None:
        named = katos_in({**checked.fields, **checked.adds})
        unknown = sorted(named - self.villages)
        if unknown:
            raise Rejection("unknown_village", f"no village {', '.join(unknown)}")
        meeting_id = checked.fields.get("meeting_id")
        if meeting_id is not None:
            meeting = self.records.get(meeting_id)
            if meeting is None or meeting.kind != "meeting" or meeting.team_id != self.team_id:
                raise Rejection("unknown_meeting", f"no meeting {meeting_id} of this team")
            # a follow-up's id is its resident's item id in that meeting's `interested`
            if checked.record_id not in meeting.lists.get("interested", {}):
                raise Rejection(
                    "unknown_resident",
                    f"meeting {meeting_id} lists no interested resident {checked.record_id}",
                )
        on = checked.fields.get("on") if checked.kind == "followup" else None
        if on is not None and on < PROGRAMME_ERA.isoformat():
            # a phone whose clock was reset (1970, 2000...): its own check (no date after its
            # today) cannot catch it; a date ahead is left to that check and the clock's offset
            # the devices list shows (a simulated season runs ahead of the server's clock)
            raise Rejection("invalid_field", f"on: no stage before {PROGRAMME_ERA.isoformat()}")
        plan_meeting = checked.fields.get("plan_meeting")
        if plan_meeting is not None:
            key = (checked.fields.get("plan_id") or 0, plan_meeting)
            if key not in self.plan_meetings:
                raise Rejection(
                    "unknown_plan_meeting",
                    f"no meeting {plan_meeting} in this team's published plans",
                )


class Applied(msgspec.Struct, frozen=True, kw_only=True):
    """A batch worked out: the answers, and the records and mutations to write."""

    results: list[MutationResult]
    records: list[sql.StoredRecord]
    mutations: list[tuple[str, int, str, str, bytes]]


def _record_of(work: Working) -> RecordOut:
    return record_out(work.state()) if work.deleted else RecordOut(
        id=work.id, kind=work.kind, version=work.version, seq=work.seq,
        data=msgspec.Raw(_encode(work.doc())),
    )  # fmt: skip


def _replay(mutation: CheckedMutation, stored: sql.StoredMutation) -> MutationResult:
    """A mutation id seen before: its first result, or a refusal if the content differs."""
    if stored.content_sha256 != mutation.content_sha256:
        return MutationResult(
            mutation_id=mutation.mutation_id,
            record_id=mutation.record_id,
            status="rejected",
            reason="mutation_id_reused",
            message="this mutation id was used before for other content",
        )
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="duplicate",
        record_id=mutation.record_id,
        original=msgspec.Raw(stored.result),
    )


def record_out(state: RecordState) -> RecordOut:
    """A record as phones receive it."""
    if state.deleted:
        return RecordOut(
            id=state.id, kind=state.kind, version=state.version, seq=state.seq, deleted=True
        )
    return RecordOut(
        id=state.id,
        kind=state.kind,
        version=state.version,
        seq=state.seq,
        data=msgspec.Raw(_encode(state.doc)),
    )


MAX_PARKED_BYTES = 64 * 1024
"""A refused mutation is kept for review whole up to this size; a larger one as a summary (a
phone's flood of refused megabytes filled the disk: 1 MB sent, 156 MB parked)."""


def _kept(content: bytes | str, mutation_id: str | None) -> bytes | str:
    """What of a refused mutation is parked: itself, or past MAX_PARKED_BYTES its identity,
    size, hash and first 4 KB (the phone keeps the whole of it, to be corrected there)."""
    raw = content.encode() if isinstance(content, str) else content
    if len(raw) <= MAX_PARKED_BYTES:
        return content
    known = envelope(raw)
    ids = {} if known is None else {"record_id": known.record_id, "kind": known.kind}
    return _encode({"mutation_id": mutation_id, **ids, "truncated": True,
                    "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest(),
                    "start": raw[:4096].decode(errors="replace")})  # fmt: skip


def check_all(raws: list[msgspec.Raw]) -> list[CheckedMutation | Rejection]:
    return [_check(raw) for raw in _breathing(raws)]


_T = TypeVar("_T")


BREATH_S = 0.004
"""How long a worker thread works on a batch before it lets the event loop have the GIL."""


def _breathing(items: Iterable[_T]) -> Iterator[_T]:
    """The items, with the GIL let go every 4 ms of work: the event loop's thread, waiting
    for it, gets it then, before the interpreter's switch interval (5 ms) would give it.
    Not more often: on a busy 2-core machine a yield costs about 0.1 ms, as much as checking
    a mutation (every millisecond, it was a tenth of a push's time)."""
    last = time.perf_counter()
    for item in items:
        if time.perf_counter() - last > BREATH_S:
            time.sleep(0)
            last = time.perf_counter()
        yield item


def _check(raw: msgspec.Raw) -> CheckedMutation | Rejection:
    try:
        return check(raw)
    except Rejection as rejection:
        return rejection
