"""Push and pull: a phone's batch of mutations applied in one durable transaction, each with
its own result; changes paged out to a phone in server order, scoped to its team."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import msgspec

from outreach.db import sync as sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import User
from outreach.domain.errors import DomainError
from outreach.domain.gazetteer import District, Village
from outreach.domain.merge import Merge, Overwrite, RecordState, merge
from outreach.domain.records import PROGRAMMES, katos_in
from outreach.domain.sync import (
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
    """One push being applied: what the transaction read, and what it will write."""

    def __init__(self, device_id: int, team_id: int, last_seq: int) -> None:
        self.writer = f"device:{device_id}"
        self.device_id = device_id
        self.team_id = team_id
        self.seq = last_seq
        self.records: dict[str, RecordState] = {}
        self.villages: set[str] = set()
        self.plan_meetings: set[tuple[int, str]] = set()
        self.seen: dict[str, sql.StoredMutation] = {}
        self.changed: dict[str, RecordState] = {}
        self.mutation_rows: list[tuple[str, int, str, str, bytes]] = []
        self.overwrites: list[tuple[str, str, str, Overwrite]] = []
        self.parked: list[tuple[str | None, int, str, str, bytes]] = []

    def take(
        self, index: int, raw: msgspec.Raw, checked: CheckedMutation | Rejection
    ) -> MutationResult:
        """The result of one mutation, with its effects queued for writing. A mutation whose
        identity could not be read is parked and answered by position only; every other is
        kept under its id with its result, so that a replay gets the same answer."""
        envelope = checked.checked if isinstance(checked, Rejection) else checked
        if envelope is None:
            assert isinstance(checked, Rejection)
            self.parked.append((None, self.device_id, checked.reason, checked.message, bytes(raw)))
            message = f"mutation {index}: {checked.message}"
            return MutationResult(
                mutation_id=None, status="rejected", reason=checked.reason, message=message
            )
        stored = self.seen.get(envelope.mutation_id)
        if stored is not None:
            return _replay(envelope, stored)
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
        encoded = _encode(result)
        digest = envelope.content_sha256
        self.seen[envelope.mutation_id] = sql.StoredMutation(digest, encoded)
        kept = (envelope.mutation_id, self.device_id, envelope.record_id, digest, encoded)
        self.mutation_rows.append(kept)
        return result

    def _apply(self, mutation: CheckedMutation) -> MutationResult:
        current = self.records.get(mutation.record_id)
        if current is not None and current.team_id != self.team_id:
            # another team's record is, to this phone, no record at all
            raise Rejection("unknown_record", f"no record {mutation.record_id}")
        self._check_references(mutation)
        outcome: Merge = merge(current, mutation, self.writer, self.team_id)
        state = outcome.state if outcome.state is not None else current
        if outcome.state is not None:
            self.seq += 1
            outcome.state.seq = self.seq
            self.records[outcome.state.id] = outcome.state
            self.changed[outcome.state.id] = outcome.state
        self.overwrites += [
            (mutation.record_id, mutation.mutation_id, self.writer, o) for o in outcome.overwrites
        ]
        record = None
        if outcome.status == "conflict" and state is not None:
            record = msgspec.Raw(_encode(record_out(state)))
        return MutationResult(
            mutation_id=mutation.mutation_id,
            record_id=mutation.record_id,
            status=outcome.status,
            version=state.version if state else None,
            seq=state.seq if state else None,
            record=record,
            overwritten=[o.field for o in outcome.overwrites] or None,
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
        plan_meeting = checked.fields.get("plan_meeting")
        if plan_meeting is not None:
            key = (checked.fields.get("plan_id") or 0, plan_meeting)
            if key not in self.plan_meetings:
                raise Rejection(
                    "unknown_plan_meeting",
                    f"no meeting {plan_meeting} in this team's published plans",
                )


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
    (durably, before the answer), and none can sink another."""
    checked = [_check(raw) for raw in request.mutations]
    good = [c for c in checked if isinstance(c, CheckedMutation)]
    known = good + [c.checked for c in checked if isinstance(c, Rejection) and c.checked]
    plan_meetings = await _plan_meetings(db, user) if _names_plan(good) else set()
    async with db.write() as tx:
        state = await sql.state(tx, lock=True)  # first: pushes take numbers one at a time
        team = await _team_id(tx, user)
        batch = _Batch(device_id, team, state.last_seq)
        batch.plan_meetings = plan_meetings
        batch.seen = await sql.stored_mutations(tx, [c.mutation_id for c in known])
        wanted = {c.record_id for c in good}
        wanted |= {c.fields["meeting_id"] for c in good if "meeting_id" in c.fields}
        batch.records = await sql.records(tx, sorted(wanted))
        named = set().union(*(katos_in({**c.fields, **c.adds}) for c in good))
        batch.villages = await sql.known_villages(tx, sorted(named))
        results = [
            batch.take(i, raw, c)
            for i, (raw, c) in enumerate(zip(request.mutations, checked, strict=True))
        ]
        now = datetime.now(UTC)
        stamp = now.isoformat(timespec="milliseconds")
        await sql.save_records(tx, batch.changed.values(), stamp)
        await sql.save_mutations(tx, batch.mutation_rows, stamp)
        await sql.save_overwrites(tx, batch.overwrites, stamp)
        await sql.park(tx, batch.parked, stamp)
        await sql.set_last_seq(tx, batch.seq)
        await _report(tx, device_id, request.device, now)
    return PushResponse(results=results, server_time=stamp)


def _check(raw: msgspec.Raw) -> CheckedMutation | Rejection:
    try:
        return check(raw)
    except Rejection as rejection:
        return rejection


def _names_plan(checked: list[CheckedMutation]) -> bool:
    return any("plan_meeting" in c.fields for c in checked)


async def _plan_meetings(db: Database, user: User) -> set[tuple[int, str]]:
    return {(p.plan_id, m.id) for p in await plans.team_plans(db, user.team) for m in p.meetings}


async def pull(db: Database, device_id: int, user: User, request: PullRequest) -> PullPage:
    """A page of the team's changes after the cursor, from one snapshot; the plan and the
    reference data when their etags differ from the phone's."""
    async with db.read() as tx:
        team = await _team_id(tx, user)
        state = await sql.state(tx)
        cursor = Cursor.parse(request.cursor)
        reset = request.cursor is not None and not _continues(cursor, state, team)
        after = cursor.seq if cursor is not None and not reset else 0
        found = await sql.changes(tx, team, after, request.limit + 1)
    more = len(found) > request.limit
    records = found[: request.limit]
    last = records[-1].seq if more else max(state.last_seq, after)
    plan = reference = None
    if not more:  # once per pull, not on every page
        plan = _document(await _plan_body(db, user), request.plan_etag)
        reference = _document(await _reference_body(db), request.reference_etag)
    async with db.write() as tx:
        await _report(tx, device_id, request.device, datetime.now(UTC))
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


class Reference(msgspec.Struct, frozen=True, kw_only=True):
    """What a phone needs besides its plan: villages, districts, programmes."""

    districts: list[District]
    villages: list[Village]
    programmes: dict[str, dict[str, str]]


async def _reference_body(db: Database) -> bytes:
    villages = await gazetteer.all_villages(db)
    return _encode(
        Reference(
            districts=await gazetteer.list_districts(db), villages=villages, programmes=PROGRAMMES
        )
    )
