"""Coordinators move interested residents through the follow-up funnel (contacted, referred,
trained, defended, financed, dropped); the change reaches the team's phones by sync."""

from __future__ import annotations

import uuid

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import sync as sql
from outreach.db.database import Database
from outreach.domain.accounts import Actor
from outreach.domain.errors import InvalidInput, NotFound
from outreach.domain.merge import merge
from outreach.domain.records import FollowupFields
from outreach.domain.sync import CheckedMutation, RecordOut, Rejection
from outreach.services.clock import now_iso
from outreach.services.sync import record_out


async def set_status(
    db: Database, person_id: str, change: FollowupFields, actor: Actor
) -> RecordOut:
    """Record where a resident has got to; NotFound if no meeting lists them."""
    fields = {k: v for k, v in msgspec.to_builtins(change).items() if k != "meeting_id"}
    if "status" not in fields:
        raise InvalidInput("say the resident's new status")
    async with db.write() as tx:
        state = await sql.state(tx, lock=True)  # first, as a push: records change one at a time
        found = await sql.meeting_of_person(tx, person_id)
        if found is None:
            raise NotFound(f"no interested resident {person_id}")
        meeting_id, team_id = found
        current = (await sql.records(tx, [person_id])).get(person_id)
        if current is None:
            fields["meeting_id"] = meeting_id
        checked = CheckedMutation(
            mutation_id=str(uuid.uuid4()),
            record_id=person_id,
            kind="followup",
            op="put",
            base_version=current.version if current else 0,
            fields=fields,
            adds={},
            removes={},
            content_sha256="",
        )
        try:
            outcome = merge(current, checked, f"user:{actor.user_id}", team_id)
        except Rejection as rejection:
            raise InvalidInput(rejection.message) from None
        assert outcome.state is not None
        outcome.state.seq = state.last_seq + 1
        now = now_iso()
        await sql.save_records(tx, [outcome.state], now)
        await sql.set_last_seq(tx, outcome.state.seq)
        await accounts_sql.audit(
            tx, at=now, actor=actor, action="followup.status", object_id=person_id
        )
    return record_out(outcome.state)
