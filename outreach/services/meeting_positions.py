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
    far_from,
    may_suggest,
    newest_first,
)
from outreach.domain.planning import PlanDocument
from outreach.domain.plausibility import beyond_fallback, distance_m
from outreach.services.clock import now_iso


class PositionFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which meeting positions to list: only the far ones, one team's."""

    far_only: bool = False
    team: str | None = None


def _planned_hubs(plans: dict[int, PlanDocument | None]) -> dict[tuple[int, str], str]:
    """(plan, plan meeting) -> the KATO code of its planned hub, for every plan read."""
    return {(plan_id, m.id): m.hub.id.removeprefix("g-")
            for plan_id, plan in plans.items() if plan is not None
            for m in plan.meetings}  # fmt: skip


def _planned_hub(fix: MeetingFix, planned: str | None, villages: dict[str, Village]) -> PlannedHub:
    kato = planned or fix.hub
    village = villages.get(kato)
    return PlannedHub(kato=kato, names=village.names if village else None,
                      position=village.best_position if village else None,
                      quality=village.location_quality if village else None,
                      source="plan" if planned else "record")  # fmt: skip


def _position(fix: MeetingFix, hub: PlannedHub, far: bool) -> MeetingPosition:
    metres = distance_m(fix.position, hub.position) if hub.position else None
    return MeetingPosition(id=fix.id, team=fix.team, date=fix.date, start=fix.start,
                           hub=fix.hub, planned_hub=hub, position=fix.position,
                           accuracy_m=fix.accuracy_m,
                           distance_km=None if metres is None else round(metres / 1000, 2),
                           far=far)  # fmt: skip


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
        hubs = _planned_hubs(plans)
        planned = {f.id: hubs.get((f.plan_id or 0, f.plan_meeting or "")) for f in fixes}
        villages = await gazetteer_sql.get_villages(tx, [planned[f.id] or f.hub for f in fixes])
    async with db.write() as tx:
        await accounts_sql.audit(tx, at=now_iso(), actor=actor, action="meetings.positions_read",
                                 object_id=where.team)  # fmt: skip
    # every fix is counted, but only the page shown needs its distance
    threshold_m = threshold_km * 1000
    found = []
    for fix in newest_first(fixes):
        hub = _planned_hub(fix, planned[fix.id], villages)
        far_off = hub.position is not None and far_from(
            fix.position, hub.position, fix.accuracy_m, threshold_m
        )
        found.append((fix, hub, far_off))
    far = sum(1 for _, _, is_it in found if is_it)
    if where.far_only:
        found = [item for item in found if item[2]]
    shown = found[page.offset : page.offset + page.limit]
    following = page.offset + len(shown)
    return MeetingPositionPage(
        items=[_position(*item) for item in shown],
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
        guess = village.best_position
        # a meeting logged far from where its village can be (at the base, say) says nothing
        # of where the village is
        if beyond_fallback(fix.position, guess, village.location_quality):
            continue
        away = None if guess is None else round(distance_m(fix.position, guess) / 1000, 2)
        found.append(PositionSuggestion(id=fix.id, village=village.kato, names=village.names,
                                        position=fix.position, accuracy_m=fix.accuracy_m,
                                        note=None, current=village.position,
                                        quality=village.location_quality, distance_km=away,
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
