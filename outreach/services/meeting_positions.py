"""Meeting positions for coordinators: each held meeting's recorded position beside its
planned hub (a warning when it is too far), and the positions that suggest where a village of
approximate position really is. Individual positions are never part of coverage."""

from __future__ import annotations

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import gazetteer as gazetteer_sql
from outreach.db import meeting_positions as sql
from outreach.db import plans as plans_sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import Actor
from outreach.domain.gazetteer import Page, PositionSuggestion, Village
from outreach.domain.meeting_positions import (
    MeetingFix,
    MeetingPosition,
    MeetingPositionPage,
    PlannedHub,
    is_far,
    may_suggest,
    newest_first,
)
from outreach.domain.planning import PlanDocument
from outreach.domain.plausibility import distance_m
from outreach.services.clock import now_iso


class PositionFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which meeting positions to list: only the far ones, one team's."""

    far_only: bool = False
    team: str | None = None


def _planned_kato(fix: MeetingFix, plans: dict[int, PlanDocument | None]) -> str | None:
    plan = plans.get(fix.plan_id) if fix.plan_id is not None else None
    if plan is None or fix.plan_meeting is None:
        return None
    hubs = {m.id: m.hub.id.removeprefix("g-") for m in plan.meetings}
    return hubs.get(fix.plan_meeting)


def _position(fix: MeetingFix, planned: str | None, villages: dict[str, Village],
              threshold_m: float) -> MeetingPosition:  # fmt: skip
    kato = planned or fix.hub
    village = villages.get(kato)
    hub = PlannedHub(kato=kato, names=village.names if village else None,
                     position=village.best_position if village else None,
                     quality=village.location_quality if village else None,
                     source="plan" if planned else "record")  # fmt: skip
    metres = distance_m(fix.position, hub.position) if hub.position else None
    return MeetingPosition(id=fix.id, team=fix.team, date=fix.date, start=fix.start,
                           hub=fix.hub, planned_hub=hub, position=fix.position,
                           accuracy_m=fix.accuracy_m,
                           distance_km=None if metres is None else round(metres / 1000, 2),
                           far=metres is not None and is_far(metres, fix.accuracy_m,
                                                             threshold_m))  # fmt: skip


async def positions(db: Database, threshold_km: float, where: PositionFilter, page: Page,
                    actor: Actor) -> MeetingPositionPage:  # fmt: skip
    """Held meetings whose phone recorded its position, newest first, each with its distance
    in km from the planned hub and `far` when that, less the fix's accuracy, exceeds
    `threshold_km`. Where field staff were is personal: every read is audited."""
    async with db.read() as tx:
        fixes = [f for f in await sql.fixes(tx) if f.status == "held"
                 and (where.team is None or f.team == where.team)]  # fmt: skip
        plans = {pid: await plans_sql.get_document(tx, pid)
                 for pid in {f.plan_id for f in fixes if f.plan_id is not None}}  # fmt: skip
        planned = {f.id: _planned_kato(f, plans) for f in fixes}
        villages = await gazetteer_sql.get_villages(tx, [planned[f.id] or f.hub for f in fixes])
    async with db.write() as tx:
        await accounts_sql.audit(tx, at=now_iso(), actor=actor, action="meetings.positions_read",
                                 object_id=where.team)  # fmt: skip
    found = newest_first([_position(f, planned[f.id], villages, threshold_km * 1000)
                          for f in fixes])  # fmt: skip
    far = sum(1 for item in found if item.far)
    if where.far_only:
        found = [item for item in found if item.far]
    shown = found[page.offset : page.offset + page.limit]
    following = page.offset + len(shown)
    return MeetingPositionPage(
        items=shown,
        total=len(found),
        far=far,
        threshold_km=threshold_km,
        limit=page.limit,
        offset=page.offset,
        next_offset=following if following < len(found) else None,
    )


async def suggestions(tx: Tx, record_id: str | None = None) -> list[PositionSuggestion]:
    """Positions held meetings suggest for their hub village (one per meeting, its id the
    meeting's), not yet accepted or refused. Only where the village's gazetteer position is
    approximate: once a village has an exact position (a coordinator accepted one of these,
    a phone's `village_position`, or corrected it by hand) the question they answer is
    settled, and its meetings' positions are no longer listed. Fixes of unknown accuracy or
    less precise than 1 km are never suggested."""
    fixes = await sql.fixes(tx, undecided=True, record_id=record_id)
    villages = await gazetteer_sql.get_villages(tx, [f.hub for f in fixes])
    found = []
    for fix in fixes:
        village = villages.get(fix.hub)
        if village is None or not may_suggest(fix, village.location_quality):
            continue
        found.append(PositionSuggestion(id=fix.id, village=village.kato, names=village.names,
                                        position=fix.position, accuracy_m=fix.accuracy_m,
                                        note=None, current=village.position,
                                        quality=village.location_quality, distance_km=None,
                                        team=fix.team, by=fix.by, at=fix.created_at,
                                        source="meeting"))  # fmt: skip
    return found


async def open_suggestion(tx: Tx, record_id: str) -> PositionSuggestion | None:
    """A meeting's open suggestion, read after its village's row is locked (inside a write):
    one accepted meanwhile for the same village has made it exact, and this one settled."""
    fixes = await sql.fixes(tx, undecided=True, record_id=record_id)
    if not fixes or not await gazetteer_sql.lock_village(tx, fixes[0].hub):
        return None
    found = await suggestions(tx, record_id)
    return found[0] if found else None
