"""Push and pull: a phone's batch of mutations applied in one durable transaction, each with
its own result; changes paged out to a phone in server order, scoped to its team."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import msgspec

from outreach.db import sync as sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import User
from outreach.domain.errors import DomainError
from outreach.domain.gazetteer import District, Village
from outreach.domain.merge import Overwrite, RecordState, Working, apply
from outreach.domain.record_rules import KindRules, record_rules
from outreach.domain.records import PROGRAMMES, katos_in
from outreach.domain.sync import (
    MAX_PULL_PAGE_BYTES,
    CheckedMutation,
    Cursor,
    DeviceReport,
    Document,
    MutationResult,
    PullPage,
    PullRequest,
    PushRequest,
    PushResponse,
    RecordOut,
    Rejection,
    check,
)
from outreach.services import gazetteer, plans

_encode = msgspec.json.encode


class NoTeam(DomainError):
    """The device's user belongs to no team, so there is nothing to sync."""

    code = "no_team"
    status = 409


async def _team_id(tx: Tx, user: User) -> int:
    found = None if user.team is None else await sql.team_id(tx, user.team)
    if found is None:
        raise NoTeam("this device's user belongs to no team: ask a coordinator")
    return found


def clock_offset_s(clock: str | None, now: datetime) -> float | None:
    """How far the phone's clock is ahead of the server's (negative: behind), in seconds."""
    if not clock:
        return None
    try:
        reported = datetime.fromisoformat(clock)
    except ValueError:
        return None
    if reported.tzinfo is None:
        return None
    return round((reported - now).total_seconds(), 1)


async def _report(tx: Tx, device_id: int, report: DeviceReport | None, now: datetime) -> None:
    report = report or DeviceReport()
    await sql.report(
        tx,
        device_id,
        now.isoformat(timespec="milliseconds"),
        report.pending,
        report.app_version,
        clock_offset_s(report.clock, now),
    )


class _Batch:
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
    ) -> _Applied:
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
        self.parked = [(*p[:4], sql.parked_text(p[4])) for p in self.parked]
        return _Applied(results=results, records=records, mutations=rows)

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
        plan_meeting = checked.fields.get("plan_meeting")
        if plan_meeting is not None:
            key = (checked.fields.get("plan_id") or 0, plan_meeting)
            if key not in self.plan_meetings:
                raise Rejection(
                    "unknown_plan_meeting",
                    f"no meeting {plan_meeting} in this team's published plans",
                )


class _Applied(msgspec.Struct, frozen=True, kw_only=True):
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


async def push(db: Database, device_id: int, user: User, request: PushRequest) -> PushResponse:
    """Apply a batch: every mutation gets a result, all of them are stored in one transaction
    (durably, before the answer), and none can sink another. Checking, merging and encoding
    run in a worker thread, between the reads and the writes, so that a large batch does not
    hold up the event loop."""
    checked = await asyncio.to_thread(_check_all, request.mutations)
    good = [c for c in checked if isinstance(c, CheckedMutation)]
    known = good + [c.checked for c in checked if isinstance(c, Rejection) and c.checked]
    plan_meetings = await _plan_meetings(db, user) if _names_plan(good) else set()
    async with db.write() as tx:
        state = await sql.state(tx, lock=True)  # first: pushes take numbers one at a time
        team = await _team_id(tx, user)
        batch = _Batch(device_id, team, state.last_seq)
        batch.plan_meetings = plan_meetings
        batch.seen = await sql.stored_mutations(tx, team, [c.mutation_id for c in known])
        wanted = {c.record_id for c in good}
        wanted |= {c.fields["meeting_id"] for c in good if "meeting_id" in c.fields}
        stored = await sql.stored_records(tx, sorted(wanted))
        named = set().union(*(katos_in({**c.fields, **c.adds}) for c in good))
        batch.villages = await sql.known_villages(tx, sorted(named))
        applied = await asyncio.to_thread(batch.run, request.mutations, checked, stored)
        now = datetime.now(UTC)
        stamp = now.isoformat(timespec="milliseconds")
        await sql.save_encoded(tx, applied.records, stamp)
        await sql.save_mutations(tx, team, applied.mutations, stamp)
        await sql.save_overwrites(tx, batch.overwrites, stamp)
        await sql.park(tx, batch.parked, stamp)
        await sql.set_last_seq(tx, batch.seq)
        await _report(tx, device_id, request.device, now)
    return PushResponse(results=applied.results, server_time=stamp)


def _check_all(raws: list[msgspec.Raw]) -> list[CheckedMutation | Rejection]:
    return [_check(raw) for raw in _breathing(raws)]


_T = TypeVar("_T")


BREATH_S = 0.001
"""How long a worker thread works on a batch before it lets the event loop have the GIL."""


def _breathing(items: Iterable[_T]) -> Iterator[_T]:
    """The items, with the GIL let go every millisecond of work: the event loop's thread,
    waiting for it, gets it then instead of after the interpreter's switch interval (5 ms).
    Not before every item: a yield costs about 0.1 ms, as much as checking a mutation."""
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


def _names_plan(checked: list[CheckedMutation]) -> bool:
    return any("plan_meeting" in c.fields for c in checked)


async def _plan_meetings(db: Database, user: User) -> set[tuple[int, str]]:
    return {(p.plan_id, m.id) for p in await plans.team_plans(db, user.team) for m in p.meetings}


REPORT_INTERVAL = timedelta(minutes=1)


def report_due(last: str | None, now: datetime) -> bool:
    """Whether a pull keeps the device's report: at most once a minute (a push always does,
    as it writes anyway), so that pulls under load seldom wait for the write lock."""
    if last is None:
        return True
    try:
        kept = datetime.fromisoformat(last)
    except ValueError:
        return True
    if kept.tzinfo is None:
        kept = kept.replace(tzinfo=UTC)
    return not timedelta(0) <= now - kept < REPORT_INTERVAL


async def pull(db: Database, device_id: int, user: User, request: PullRequest) -> PullPage:
    """A page of the team's changes after the cursor, from one snapshot, bounded in records
    and in bytes; the plan and the reference data when their etags differ from the phone's."""
    async with db.read() as tx:
        team = await _team_id(tx, user)
        state = await sql.state(tx)
        cursor = Cursor.parse(request.cursor)
        reset = request.cursor is not None and not _continues(cursor, state, team)
        after = cursor.seq if cursor is not None and not reset else 0
        records, more = await sql.changes(tx, team, after, request.limit, MAX_PULL_PAGE_BYTES)
        last_report = await sql.last_sync_at(tx, device_id)
    last = records[-1].seq if more else max(state.last_seq, after)
    plan = reference = None
    if not more:  # once per pull, not on every page
        plan = _document(await _plan_body(db, user), request.plan_etag)
        reference = _document(await _reference_body(db), request.reference_etag)
    now = datetime.now(UTC)
    if report_due(last_report, now):
        async with db.write() as tx:
            await _report(tx, device_id, request.device, now)
    return PullPage(
        server_id=state.server_id,
        cursor=Cursor(state.server_id, team, last).encode(),
        more=more,
        reset=reset,
        records=records,
        plan=plan,
        reference=reference,
    )


def _continues(cursor: Cursor | None, state: sql.SyncState, team: int) -> bool:
    """Whether a phone's cursor can go on from here: this server, this team, a number this
    server handed out, and no tombstone purged after it."""
    return (
        cursor is not None
        and cursor.server_id == state.server_id
        and cursor.team_id == team
        and state.purged_seq <= cursor.seq <= state.last_seq
    )


def _document(body: bytes, etag: str | None) -> Document | None:
    tag = hashlib.sha256(body).hexdigest()[:20]
    return None if tag == etag else Document(etag=tag, body=msgspec.Raw(body))


async def _plan_body(db: Database, user: User) -> bytes:
    return _encode(await plans.team_plans(db, user.team))


RECORD_RULES = record_rules()


class Reference(msgspec.Struct, frozen=True, kw_only=True):
    """What a phone needs besides its plan: villages, districts, programmes, and the rules
    the server checks every record against (outreach.domain.record_rules), so the phone
    can check them first."""

    districts: list[District]
    villages: list[Village]
    programmes: dict[str, dict[str, str]]
    rules: dict[str, KindRules]


async def _reference_body(db: Database) -> bytes:
    villages = await gazetteer.all_villages(db)
    districts = await gazetteer.list_districts(db)
    reference = Reference(
        districts=districts, villages=villages, programmes=PROGRAMMES, rules=RECORD_RULES
    )
    return _encode(reference)
