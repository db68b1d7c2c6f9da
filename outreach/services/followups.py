"""Coordinators move interested residents through the follow-up funnel (contacted, referred,
trained, defended, financed, dropped); the change reaches the team's phones by sync."""

from __future__ import annotations

import uuid
from datetime import date

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import sync as sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import Actor
from outreach.domain.errors import DomainError, InvalidInput, NotFound
from outreach.domain.merge import RecordState, merge
from outreach.domain.records import FollowupFields
from outreach.domain.residents import stage_date_problem
from outreach.domain.sync import CheckedMutation, RecordOut, Rejection
from outreach.services import registry
from outreach.services.clock import now_iso, today_local
from outreach.services.sync_batch import record_out


class AmbiguousResident(DomainError):
    """Meetings of several teams list a resident by this item id: the change must name the
    meeting."""

    code = "ambiguous_resident"
    status = 409


async def set_status(
    db: Database, person_id: str, change: FollowupFields, actor: Actor
) -> RecordOut:
    """Record where a resident has got to; NotFound if no meeting lists them, Conflict if
    several teams' meetings do and the change does not name one."""
    fields = {k: v for k, v in msgspec.to_builtins(change).items() if k != "meeting_id"}
    named = change.meeting_id if isinstance(change.meeting_id, str) else None
    if "status" not in fields:
        raise InvalidInput("say the resident's new status")
    on = change.on if isinstance(change.on, date) else None
    if problem := stage_date_problem(on, today_local()):
        raise InvalidInput(f"a stage's date must run {problem['message']}", details=[problem])
    async with db.write() as tx:
        state = await sql.state(tx, lock=True)  # first, as a push: records change one at a time
        current = (await sql.records(tx, [person_id])).get(person_id)
        meeting_id, team_id = await _meeting(tx, person_id, current, named)
        if current is None or current.doc.get("meeting_id") != meeting_id:
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
        await registry.catch_up(tx, outcome.state.seq)
        await accounts_sql.audit(
            tx, at=now, actor=actor, action="followup.status", object_id=person_id
        )
    return record_out(outcome.state)


async def _meeting(
    tx: Tx, person_id: str, current: RecordState | None, named: str | None
) -> tuple[str, int]:
    """(meeting id, team id) the resident's follow-up belongs to. Item ids are made by
    phones, so two teams' meetings may carry the same one: an existing record keeps its own
    team (and a follow-up its meeting); otherwise the meeting named in the change, or the
    only team's meeting listing the resident."""
    listed = await sql.meetings_of_person(tx, person_id)
    if current is not None:
        listed = [m for m in listed if m[1] == current.team_id]
        own = current.doc.get("meeting_id") if current.kind == "followup" else None
        if named is None and any(m[0] == own for m in listed):
            named = own
    if named is not None:
        listed = [m for m in listed if m[0] == named]
    if not listed:
        raise NotFound(f"no interested resident {person_id}")
    if len({team for _, team in listed}) > 1:
        raise AmbiguousResident(
            f"meetings of several teams list a resident {person_id}: name the meeting (meeting_id)"
        )
    return listed[0]
