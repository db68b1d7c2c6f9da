"""The sync review queue for coordinators: reading it with each item's context (audited: it
holds personal data), and deciding each item: keep what sync settled, or restore an
overwritten value as a server-made change that phones receive at their next pull; with a
comment that is kept."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import sync as sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import Actor
from outreach.domain.errors import InvalidInput, NotFound
from outreach.domain.merge import RecordState, merge
from outreach.domain.review import (
    OverwriteItem,
    Resolution,
    Resolved,
    ReviewContext,
    ReviewList,
    ReviewQueue,
)
from outreach.domain.sync import CheckedMutation, Rejection
from outreach.services import registry
from outreach.services.clock import now_iso

_TABLES: dict[ReviewList, str] = {"overwrites": "sync_overwrites", "parked": "sync_parked"}


def _context(kind: str | None, doc: dict[str, Any], team: str | None) -> ReviewContext:
    villages = doc.get("villages")
    return ReviewContext(
        kind=kind,
        date=doc.get("date") if isinstance(doc.get("date"), str) else None,
        team=team,
        hub=doc.get("hub") if isinstance(doc.get("hub"), str) else None,
        villages=[v for v in villages if isinstance(v, str)] if isinstance(villages, list) else [],
        status=doc.get("status") if isinstance(doc.get("status"), str) else None,
    )


def _sent(content: Any) -> tuple[str | None, str | None, dict[str, Any]]:
    """(record id, kind, fields) of a parked mutation as it was sent, as far as it decodes."""
    if not isinstance(content, dict):
        return None, None, {}
    fields = {**(content.get("add") or {}), **(content.get("set") or {})}
    record = content.get("record_id")
    kind = content.get("kind")
    return (record if isinstance(record, str) else None, kind if isinstance(kind, str) else None,
            fields if isinstance(fields, dict) else {})  # fmt: skip


async def queue(db: Database, limit: int, actor: Actor) -> ReviewQueue:
    """Open overwrites and parked mutations, oldest first, each with its record's context;
    the read is audited."""
    async with db.write() as tx:
        overwrites = await sql.open_overwrites(tx, limit)
        parked = await sql.open_parked(tx, limit)
        open_overwrites, open_parked = await sql.open_counts(tx)
        sent = {_sent(p.content)[0] for p in parked}
        ids = {o.record_id for o in overwrites} | {r for r in sent if r}
        current = await sql.records(tx, sorted(ids))
        teams = {t.id: t.name for t in await accounts_sql.list_teams(tx)}
        await accounts_sql.audit(tx, at=now_iso(), actor=actor, action="sync.review_read")

    def of(record_id: str | None) -> ReviewContext | None:
        found = current.get(record_id or "")
        if found is None or found.deleted:
            return None
        return _context(found.kind, found.doc, teams.get(found.team_id))

    def parked_context(content: Any) -> ReviewContext | None:
        record, kind, fields = _sent(content)
        return of(record) or (_context(kind, fields, None) if kind or fields else None)

    return ReviewQueue(
        overwrites=[_with(o, context=of(o.record_id)) for o in overwrites],
        parked=[_with(p, context=parked_context(p.content)) for p in parked],
        open_overwrites=open_overwrites,
        open_parked=open_parked,
    )


def _with(item: Any, **changes: Any) -> Any:
    return msgspec.structs.replace(item, **changes)


async def resolve(db: Database, which: ReviewList, item_id: int, decision: Resolution,
                  actor: Actor) -> Resolved:  # fmt: skip
    """Decide one open item; NotFound if it is not open. `restore` (overwrites only) writes
    the overwritten value back into the record in the same transaction."""
    if decision.action == "restore" and which != "overwrites":
        raise InvalidInput("only an overwritten value can be restored",
                           details=[{"field": "action", "value": "restore"}])  # fmt: skip
    comment = decision.comment.strip() if decision.comment else None
    async with db.write() as tx:
        now = now_iso()
        if decision.action == "restore":
            await _restore(tx, item_id, actor)
        if not await sql.resolve(tx, _TABLES[which], item_id, actor.login, now,
                                 decision.action, comment or None):  # fmt: skip
            raise NotFound(f"no open {which} item {item_id}")
        done = "restored" if decision.action == "restore" else "resolved"
        await accounts_sql.audit(tx, at=now, actor=actor, action=f"sync.{which}_{done}",
                                 object_id=str(item_id))  # fmt: skip
    return Resolved(list=which, id=item_id, resolved_by=actor.login, action=decision.action,
                    comment=comment or None, resolved_at=now)  # fmt: skip


async def resolved(db: Database, limit: int) -> list[Resolved]:
    """Decisions already taken, newest first, with their comments."""
    async with db.read() as tx:
        return await sql.resolved_items(tx, limit)


async def _restore(tx: Tx, item_id: int, actor: Actor) -> None:
    state = await sql.state(tx, lock=True)  # first, as a push: records change one at a time
    item = await sql.open_overwrite(tx, item_id)
    if item is None:
        raise NotFound(f"no open overwrites item {item_id}")
    current = (await sql.records(tx, [item.record_id])).get(item.record_id)
    if current is None or current.deleted:
        raise InvalidInput("the record is gone: its value cannot be restored")
    checked = _restoring(item, current)
    try:
        outcome = merge(current, checked, f"user:{actor.user_id}", current.team_id)
    except Rejection as rejection:
        raise InvalidInput(rejection.message) from None
    assert outcome.state is not None
    outcome.state.seq = state.last_seq + 1
    await sql.save_records(tx, [outcome.state], now_iso())
    await sql.set_last_seq(tx, outcome.state.seq)
    await registry.catch_up(tx, outcome.state.seq)


def _restoring(item: OverwriteItem, current: RecordState) -> CheckedMutation:
    """The server-made mutation that puts an overwritten value back: a field, or a list item
    (`list/key`) added again. A whole record (`*`) is restored by hand."""
    fields: dict[str, Any] = {}
    adds: dict[str, list[Any]] = {}
    if item.field == "*":
        raise InvalidInput("a whole record cannot be restored from here: edit it by hand")
    if "/" in item.field:
        adds[item.field.split("/", 1)[0]] = [item.value]
    else:
        fields[item.field] = item.value
    return CheckedMutation(mutation_id=str(uuid.uuid4()), record_id=item.record_id,
                           kind=current.kind, op="put", base_version=current.version,
                           fields=fields, adds=adds, removes={}, content_sha256="")  # fmt: skip
