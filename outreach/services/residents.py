"""Residents for coordinators and field teams: lists, a resident's whole story, merges and
splits of doubtful matches, stages set by hand, erasure on request, and each team's follow-up
list. Every read of personal data is audited; names and phones never reach a log."""

from __future__ import annotations

from datetime import date

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import resident_changes as changes
from outreach.db import resident_views as views
from outreach.db import residents as sql
from outreach.db import sync as sync_sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import Actor
from outreach.domain.errors import Conflict, InvalidInput, NotFound
from outreach.domain.records import PROGRAMMES
from outreach.domain.residents import (
    CandidatePage,
    FollowupList,
    HistoryLine,
    MergeRequest,
    ResidentDetail,
    ResidentFilter,
    ResidentPage,
    SplitRequest,
    StageChange,
    followup_order,
    stage_date_problem,
)
from outreach.services import registry
from outreach.services.clock import now_iso, today_local
from outreach.services.erasure import scrub_records
from outreach.services.sync_writer import NoTeam


async def _audit(tx: Tx, actor: Actor, action: str, object_id: str | None) -> None:
    await accounts_sql.audit(tx, at=now_iso(), actor=actor, action=action, object_id=object_id)


async def list_residents(db: Database, where: ResidentFilter, actor: Actor) -> ResidentPage:
    """A page of residents (coordinators), audited."""
    async with db.write() as tx:
        await registry.fresh(tx)
        found, total = await views.page(tx, where)
        await _audit(tx, actor, "residents.list", f"{len(found)} of {total}")
    return ResidentPage(residents=found, total=total)


async def detail(db: Database, resident_id: int, actor: Actor) -> ResidentDetail:
    """A resident's whole story (coordinators), audited."""
    async with db.write() as tx:
        await registry.fresh(tx)
        found = await _detail(tx, resident_id)
        await _audit(tx, actor, "residents.read", str(resident_id))
    return found


async def _detail(tx: Tx, resident_id: int) -> ResidentDetail:
    summary = (await views.summaries(tx, [resident_id])).get(resident_id)
    if summary is None:
        raise NotFound(f"no resident {resident_id}")
    return ResidentDetail(
        **{f: getattr(summary, f) for f in summary.__struct_fields__},
        sightings=await views.sightings(tx, resident_id),
        history=await _named(tx, await views.history(tx, resident_id)),
        merged_from=await views.merged_into(tx, resident_id),
        candidates=await views.candidates_of(tx, resident_id),
    )


async def _named(tx: Tx, lines: list[HistoryLine]) -> list[HistoryLine]:
    names = await views.actor_names(tx, [line.by for line in lines])
    return [msgspec.structs.replace(line, by_name=names.get(line.by)) for line in lines]


async def candidates(db: Database, actor: Actor, limit: int, after: int = 0) -> CandidatePage:
    """Open doubtful matches, each pair side by side, oldest first after the id `after`, at
    most `limit`, and how many are open (coordinators), audited."""
    async with db.write() as tx:
        await registry.fresh(tx)
        found = await views.candidates(tx, limit, after)
        await _audit(tx, actor, "residents.candidates", str(len(found.candidates)))
    return found


async def _locked(tx: Tx) -> str:
    """Take the sync lock first (as a push does), catch the registry up; the time now."""
    state = await sync_sql.state(tx, lock=True)
    await registry.catch_up(tx, state.last_seq)
    return now_iso()


async def _active(tx: Tx, resident_id: int) -> None:
    row = await sql.resident_row(tx, resident_id, lock=True)
    if row is None:
        raise NotFound(f"no resident {resident_id}")
    if row[1] is not None:
        raise Conflict(f"resident {resident_id} was merged into {row[1]}: use that one")
    if row[2] is not None:
        raise Conflict(f"resident {resident_id} was erased")


async def merge(db: Database, request: MergeRequest, actor: Actor) -> ResidentDetail:
    """One person recorded twice: `other` and all of theirs become `into`'s, keeping every
    history line (a split gives them back)."""
    if request.into == request.other:
        raise InvalidInput("a resident cannot be merged into themselves")
    by = f"user:{actor.user_id}"
    async with db.write() as tx:
        now = await _locked(tx)
        for resident_id in sorted((request.into, request.other)):
            await _active(tx, resident_id)
        await changes.merge(tx, request.into, request.other)
        await sql.add_event(tx, request.into, request.into, at=now, by=by, kind="merged",
                            other=request.other)  # fmt: skip
        await sql.decide_candidates(tx, request.into, request.other, "merged", by, now)
        await _changed(tx, [request.into], actor, "residents.merged")
        return await _detail(tx, request.into)


async def split(
    db: Database, resident_id: int, request: SplitRequest, actor: Actor
) -> ResidentDetail:
    """A merge undone: the resident merged into this one comes back out with every meeting and
    line that was theirs; the pair is kept apart from then on."""
    by = f"user:{actor.user_id}"
    async with db.write() as tx:
        now = await _locked(tx)
        await _active(tx, resident_id)
        part = await sql.resident_row(tx, request.resident, lock=True)
        if part is None or part[1] != resident_id:
            raise InvalidInput(f"resident {request.resident} was not merged into {resident_id}")
        await changes.split(tx, resident_id, request.resident)
        await sql.add_event(tx, resident_id, resident_id, at=now, by=by, kind="split",
                            other=request.resident)  # fmt: skip
        await sql.add_event(tx, request.resident, request.resident, at=now, by=by, kind="split",
                            other=resident_id)  # fmt: skip
        await sql.add_candidate(tx, resident_id, request.resident, "same_name_village", now)
        await sql.decide_candidates(tx, resident_id, request.resident, "apart", by, now)
        await _changed(tx, [resident_id, request.resident], actor, "residents.split")
        return await _detail(tx, resident_id)


async def keep_apart(db: Database, candidate_id: int, actor: Actor) -> None:
    """Two residents proposed as one are different people: never proposed again."""
    async with db.write() as tx:
        now = await _locked(tx)
        found = await sql.candidate(tx, candidate_id)
        if found is None or found[2] != "open":
            raise NotFound(f"no open doubtful match {candidate_id}")
        await sql.decide_candidates(tx, found[0], found[1], "apart", f"user:{actor.user_id}", now)
        await _audit(tx, actor, "residents.kept_apart", str(candidate_id))


async def set_stage(
    db: Database, resident_id: int, change: StageChange, actor: Actor
) -> ResidentDetail:
    """A coordinator records where a resident got to (or only the next contact date)."""
    if change.programme is not None and change.programme not in PROGRAMMES:
        raise InvalidInput(f"no programme {change.programme!r}")
    if change.stage == "new":
        raise InvalidInput("'new' is where residents start: say the stage they reached")
    if problem := stage_date_problem(change.on, today_local()):
        raise InvalidInput(f"a stage's date must run {problem['message']}", details=[problem])
    async with db.write() as tx:
        now = await _locked(tx)
        await _active(tx, resident_id)
        await sql.add_event(
            tx, resident_id, resident_id, at=now, by=f"user:{actor.user_id}",
            kind="stage" if change.stage else "contact", via="coordinator",
            on_date=change.on or today_local(), stage=change.stage,
            amount_tenge=change.amount_tenge, funding_source=change.funding_source,
            reason=change.reason, note=change.note, next_contact=change.next_contact,
            programme=change.programme,
        )  # fmt: skip
        await _changed(tx, [resident_id], actor, "residents.stage")
        return await _detail(tx, resident_id)


async def erase(db: Database, resident_id: int, actor: Actor) -> ResidentDetail:
    """Erasure on request: the resident's name and phone (and notes about them) go from the
    registry and from every record, review item and stored answer that held them; the
    resident stays as a count, with their stages and amounts. Audited."""
    async with db.write() as tx:
        now = await _locked(tx)
        await _active(tx, resident_id)
        people = await changes.subtree(tx, resident_id)
        secrets = await _secrets(tx, people)
        last_seq = await scrub_records(tx, await changes.items_of(tx, resident_id), secrets, now)
        await changes.erase(tx, people, now)
        await sql.add_event(tx, resident_id, resident_id, at=now, by=f"user:{actor.user_id}",
                            kind="erased")  # fmt: skip
        await registry.catch_up(tx, last_seq)
        await _changed(tx, [resident_id], actor, "residents.erased")
        return await _detail(tx, resident_id)


async def _secrets(tx: Tx, people: list[int]) -> set[str]:
    found: set[str] = set()
    for resident_id in people:
        row = await sql.resident_row(tx, resident_id)
        if row is not None:
            found.update(v for v in (row[4], row[5]) if v)
    return found


async def _changed(tx: Tx, ids: list[int], actor: Actor, action: str) -> None:
    await registry.changed(tx, ids)
    await _audit(tx, actor, action, ",".join(map(str, ids)))


async def followups(
    db: Database, team: str | None, actor: Actor, today: date | None = None
) -> FollowupList:
    """A team's residents still in the funnel, overdue first, for its phones (audited)."""
    day = today or today_local()
    async with db.write() as tx:
        await registry.fresh(tx)
        team_id = None if team is None else await sync_sql.team_id(tx, team)
        if team_id is None:
            raise NoTeam("this device's user belongs to no team: ask a coordinator")
        items = await changes.followups(tx, team_id, day)
        await _audit(tx, actor, "residents.followups", str(len(items)))
    return FollowupList(residents=sorted(items, key=followup_order), as_of=day)
