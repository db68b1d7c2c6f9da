"""The sync review queue for coordinators: reading it (audited: it holds personal data) and
marking items done."""

from __future__ import annotations

from outreach.db import accounts as accounts_sql
from outreach.db import sync as sql
from outreach.db.database import Database
from outreach.domain.accounts import Actor
from outreach.domain.errors import NotFound
from outreach.domain.review import Resolved, ReviewList, ReviewQueue
from outreach.services.clock import now_iso

_TABLES: dict[ReviewList, str] = {"overwrites": "sync_overwrites", "parked": "sync_parked"}


async def queue(db: Database, limit: int, actor: Actor) -> ReviewQueue:
    """Open overwrites and parked mutations, oldest first; the read is audited."""
    async with db.write() as tx:
        found = ReviewQueue(
            overwrites=await sql.open_overwrites(tx, limit), parked=await sql.open_parked(tx, limit)
        )
        await accounts_sql.audit(tx, at=now_iso(), actor=actor, action="sync.review_read")
    return found


async def resolve(db: Database, which: ReviewList, item_id: int, actor: Actor) -> Resolved:
    """Mark one open item of a list as done; NotFound if it is not open."""
    async with db.write() as tx:
        now = now_iso()
        if not await sql.resolve(tx, _TABLES[which], item_id, actor.login, now):
            raise NotFound(f"no open {which} item {item_id}")
        await accounts_sql.audit(
            tx, at=now, actor=actor, action=f"sync.{which}_resolved", object_id=str(item_id)
        )
    return Resolved(list=which, id=item_id, resolved_by=actor.login)
