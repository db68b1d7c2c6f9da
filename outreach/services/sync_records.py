"""Reading field records for coordinators: personal data, so every read is audited."""

from __future__ import annotations

from typing import Any

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import sync as sql
from outreach.db.database import Database
from outreach.domain.accounts import Actor
from outreach.domain.sync import RecordOut
from outreach.services.clock import now_iso
from outreach.services.sync_batch import record_out


class VillageRecords(msgspec.Struct, frozen=True, kw_only=True):
    """A village's meetings (newest first) and the follow-ups of their interested residents
    (a follow-up's id is the resident's item id in a meeting's `interested`)."""

    meetings: list[RecordOut]
    followups: list[RecordOut]


async def village_meetings(db: Database, kato: str, actor: Actor) -> VillageRecords:
    """The meetings held at or representing a village, and the follow-ups of their residents."""
    async with db.write() as tx:
        meetings = await sql.meetings_of_village(tx, kato)
        # a follow-up is its resident's only if it is of the same team (item ids are made by
        # phones: another team's meeting may carry the same one)
        people = {(p["id"], team) for m, team in meetings for p in _decode(m).get("interested", [])}
        found = await sql.records(tx, sorted({person for person, _ in people}))
        await accounts_sql.audit(
            tx, at=now_iso(), actor=actor, action="records.village_read", object_id=kato
        )
    followups = [
        record_out(r)
        for r in found.values()
        if r.kind == "followup" and not r.deleted and (r.id, r.team_id) in people
    ]
    return VillageRecords(meetings=[m for m, _ in meetings], followups=followups)


def _decode(record: RecordOut) -> dict[str, Any]:
    return {} if record.data is None else dict(msgspec.json.decode(record.data))
