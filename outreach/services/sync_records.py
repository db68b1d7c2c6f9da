"""Reading field records for coordinators: personal data, so every read is audited."""

from __future__ import annotations

from outreach.db import accounts as accounts_sql
from outreach.db import sync as sql
from outreach.db.database import Database
from outreach.domain.accounts import Actor
from outreach.domain.sync import RecordOut
from outreach.services.clock import now_iso


async def village_meetings(db: Database, kato: str, actor: Actor) -> list[RecordOut]:
    """The meetings held at or representing a village, and the follow-ups of their residents."""
    async with db.write() as tx:
        meetings = await sql.meetings_of_village(tx, kato)
        await accounts_sql.audit(
            tx, at=now_iso(), actor=actor, action="records.village_read", object_id=kato
        )
    return meetings
