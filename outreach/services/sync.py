"""Push and pull: a phone's batch of mutations applied durably (in one transaction with the
pushes that arrive at the same time, sync_writer.py), each with its own result; changes paged
out to a phone in server order, scoped to its team, from one snapshot, never waiting for a
writer."""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from datetime import UTC, datetime, timedelta

import msgspec

from outreach.db import gazetteer as gazetteer_sql
from outreach.db import plans as plans_sql
from outreach.db import sync as sql
from outreach.db.database import Database
from outreach.domain.accounts import User
from outreach.domain.gazetteer import District, Village
from outreach.domain.record_rules import KindRules, record_rules
from outreach.domain.records import PROGRAMMES
from outreach.domain.sync import (
    MAX_PULL_PAGE_BYTES,
    CheckedMutation,
    Cursor,
    Document,
    PullPage,
    PullRequest,
    PushRequest,
    PushResponse,
)
from outreach.services import gazetteer, team_plans
from outreach.services.sync_batch import check_all
from outreach.services.sync_writer import Prepared, team_of, writer

_encode = msgspec.json.encode


async def push(db: Database, device_id: int, user: User, request: PushRequest) -> PushResponse:
    """Apply a batch: every mutation gets a result, all of them are stored in one transaction
    (durably, before the answer; shared with the pushes that arrived at the same time), and
    none can sink another. Checking runs in a worker thread before the batch joins a group."""
    checked = await asyncio.to_thread(check_all, request.mutations)
    good = [c for c in checked if isinstance(c, CheckedMutation)]
    plan_meetings = await team_plans.references(db, user.team) if _names_plan(good) else set()
    prepared = Prepared(device_id, user, request, checked, plan_meetings)
    return await writer(db).groups.submit(prepared)


def _names_plan(checked: list[CheckedMutation]) -> bool:
    return any("plan_meeting" in c.fields for c in checked)


REPORT_INTERVAL = timedelta(minutes=1)


def report_due(last: str | None, now: datetime, kept_pending: int | None = None,
               pending: int | None = None) -> bool:  # fmt: skip
    """Whether a pull keeps the device's report: when its count of waiting records changed
    (the pull after a push says what the push left, and a coordinator saw the count from
    before it for a minute), else at most once a minute (a push always does, as it writes
    anyway), so that pulls under load seldom add to the writer's work. A pull never waits for
    it: the report goes with the next group of pushes."""
    if last is None or pending != kept_pending:
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
        team = await team_of(tx, user)
        state = await sql.state(tx)
        cursor = Cursor.parse(request.cursor)
        reset = request.cursor is not None and not _continues(cursor, state, team)
        after = cursor.seq if cursor is not None and not reset else 0
        records, more = await sql.changes(tx, team, after, request.limit, MAX_PULL_PAGE_BYTES)
        last_report, kept_pending = await sql.last_report(tx, device_id)
        if not more:  # which plans and which gazetteer the snapshot saw
            published = await plans_sql.published(tx)
            gazetteer_version = await gazetteer_sql.version(tx)
    last = records[-1].seq if more else max(state.last_seq, after)
    plan = reference = None
    if not more:  # once per pull, not on every page
        plan = await _plan(db, user, published, request.plan_etag)
        reference = await _reference(db, gazetteer_version, request.reference_etag)
    now = datetime.now(UTC)
    said = request.device.pending if request.device is not None else kept_pending
    if report_due(last_report, now, kept_pending, said):
        writer(db).report(device_id, request.device, now)
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


_plans: weakref.WeakKeyDictionary[
    Database, tuple[plans_sql.Published, dict[str | None, Document]]
] = weakref.WeakKeyDictionary()


async def _plan(db: Database, user: User, published: plans_sql.Published,
                etag: str | None) -> Document | None:  # fmt: skip
    """The team's part of the published plans, unless the phone holds it: encoded once per
    team until another plan is published."""
    kept = _plans.get(db)
    if kept is None or kept[0] != published:
        kept = _plans[db] = (published, {})
    document = kept[1].get(user.team)
    if document is None:
        made = _document(_encode(await team_plans.team_plans(db, user.team, published)), None)
        assert made is not None
        document = kept[1][user.team] = made
    return None if document.etag == etag else document


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


_references: weakref.WeakKeyDictionary[Database, tuple[int, Document]] = weakref.WeakKeyDictionary()


async def _reference(db: Database, version: int, etag: str | None) -> Document | None:
    """The reference data of a gazetteer version, unless the phone holds it: made once per
    version (every change to villages or districts moves it on), not on every pull."""
    kept = _references.get(db)
    if kept is None or kept[0] != version:
        body = await _reference_body(db)
        document = _document(body, None)
        assert document is not None
        if await gazetteer.version(db) == version:  # not changed while it was read
            _references[db] = (version, document)
        kept = (version, document)
    return None if kept[1].etag == etag else kept[1]
