"""Targets per campaign and district, set by coordinators (audited)."""

from __future__ import annotations

from outreach.db import accounts as accounts_sql
from outreach.db import gazetteer as gazetteer_sql
from outreach.db import targets as sql
from outreach.db.database import Database
from outreach.domain.accounts import Actor
from outreach.domain.errors import NotFound
from outreach.domain.targets import Target
from outreach.services.clock import now_iso


async def targets(db: Database, campaign: str | None) -> list[Target]:
    """Every target (of one campaign, or all)."""
    async with db.read() as tx:
        return await sql.targets(tx, campaign)


async def put(db: Database, target: Target, actor: Actor) -> Target:
    """Set a campaign's targets in a district; the coverage shows them from then on."""
    now = now_iso()
    async with db.write() as tx:
        if not await gazetteer_sql.list_districts(tx, target.district):
            raise NotFound(f"no district {target.district}")
        await sql.put(tx, target, f"user:{actor.user_id}", now)
        await accounts_sql.audit(tx, at=now, actor=actor, action="targets.set",
                                 object_id=f"{target.campaign}/{target.district}")  # fmt: skip
    return target
