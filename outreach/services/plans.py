"""Plans kept in the database: drafts, the published plan, superseded versions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import msgspec

from outreach.db import gazetteer as gazetteer_sql
from outreach.db import plans as sql
from outreach.db.accounts import audit
from outreach.db.database import Database, Tx
from outreach.domain.accounts import Actor
from outreach.domain.errors import InvalidInput, NotFound
from outreach.domain.plan_checks import (
    DoubleBooked,
    PlanChecks,
    booking_details,
    double_bookings,
    plan_checks,
)
from outreach.domain.planning import (
    CampaignSpec,
    PlanDiff,
    PlanDocument,
    PlanEdits,
    PlanningStep,
    PlanSummary,
    Progress,
    plan_diff,
)
from outreach.services.clock import now_iso
from outreach.services.grouping import GeoCache
from outreach.services.plan_progress import ProgressLine, progress_lines
from outreach.services.planning import Snapshot, make_plan


async def snapshot(db: Database) -> Snapshot:
    """Every settlement and district, read in one transaction, with the gazetteer version."""
    async with db.read() as tx:
        sites = await gazetteer_sql.planning_sites(tx, [])
        districts = await gazetteer_sql.list_districts(tx)
        return Snapshot(sites=sites, districts=districts, version=await gazetteer_sql.version(tx))


class StoredPlan(msgspec.Struct, frozen=True, kw_only=True):
    """A stored plan version and its document."""

    summary: PlanSummary
    document: PlanDocument


async def create_draft(db: Database, geo: GeoCache, spec: CampaignSpec,
                       based_on: StoredPlan | None = None, *, created_by: str | None = None,
                       progress: Progress | None = None) -> StoredPlan:  # fmt: skip
    """Plan the campaign over the current gazetteer and keep it as a draft made by
    `created_by` (a login); a re-plan of `based_on` keeps its trips and moves as few of its
    meetings as it can. `progress` is told as each stage begins, on the event loop's thread."""
    tell = progress or _silent
    tell(PlanningStep(stage="loading"))
    found = await snapshot(db)
    previous = based_on.document if based_on else None
    from_thread = _on_loop(tell) if progress else None
    async with geo.planning:
        document = await asyncio.to_thread(make_plan, spec, found, geo.travel, previous,
                                           from_thread)  # fmt: skip
    tell(PlanningStep(stage="saving"))
    async with db.write() as tx:
        plan_id = await sql.insert(tx, document, based_on.summary.id if based_on else None,
                                   now_iso(), created_by)  # fmt: skip
        summary = await sql.get_summary(tx, plan_id)
    assert summary is not None
    return StoredPlan(summary=summary, document=document)


def _silent(_: PlanningStep) -> None:
    pass


def _on_loop(progress: Progress) -> Progress:
    """`progress` called from a worker thread, run on the calling event loop's thread."""
    loop = asyncio.get_running_loop()

    def tell(step: PlanningStep) -> None:
        loop.call_soon_threadsafe(progress, step)

    return tell


def stream_draft(db: Database, geo: GeoCache, spec: CampaignSpec, created_by: str
                 ) -> AsyncIterator[ProgressLine]:  # fmt: skip
    """Plan a campaign as create_draft does, telling each stage as it happens."""
    return progress_lines(_drafting(db, geo, spec, None, created_by))


async def stream_replan(db: Database, geo: GeoCache, plan_id: int, edits: PlanEdits,
                        created_by: str) -> AsyncIterator[ProgressLine]:  # fmt: skip
    """Re-plan as replan does, telling each stage as it happens; NotFound (before any line)
    if there is no such plan."""
    base = await get_plan(db, plan_id)
    spec = base.document.spec.with_edits(edits)
    return progress_lines(_drafting(db, geo, spec, base, created_by))


def _drafting(db: Database, geo: GeoCache, spec: CampaignSpec, based_on: StoredPlan | None,
              created_by: str) -> Callable[[Progress], Awaitable[PlanSummary]]:  # fmt: skip
    async def run(progress: Progress) -> PlanSummary:
        stored = await create_draft(db, geo, spec, based_on, created_by=created_by,
                                    progress=progress)  # fmt: skip
        return stored.summary

    return run


async def list_plans(db: Database, campaign: str | None = None) -> list[PlanSummary]:
    """Plan versions, newest first."""
    async with db.read() as tx:
        return await sql.list_summaries(tx, campaign)


async def get_plan(db: Database, plan_id: int) -> StoredPlan:
    """One plan version; NotFound if there is none."""
    async with db.read() as tx:
        summary = await sql.get_summary(tx, plan_id)
        document = await sql.get_document(tx, plan_id)
    if summary is None or document is None:
        raise NotFound(f"no plan {plan_id}")
    return StoredPlan(summary=summary, document=document)


async def export(db: Database, plan_id: int, kind: str, actor: Actor) -> PlanDocument:
    """A plan's document for an export; the export is audited."""
    found = await get_plan(db, plan_id)
    async with db.write() as tx:
        await audit(tx, at=now_iso(), actor=actor, action=f"plan.export.{kind}",
                    object_id=f"plan:{plan_id}")  # fmt: skip
    return found.document


async def publish(db: Database, plan_id: int, actor: Actor,
                  confirm_double_booking: bool = False) -> PlanSummary:  # fmt: skip
    """Publish a draft: the campaign's published plan, if any, becomes superseded.
    Concurrent publishes of one campaign run one after the other. A draft that books a team
    on a date another campaign's published plan also uses is refused (DoubleBooked) unless
    confirmed; a confirmed one is audited as such."""
    async with db.write() as tx:
        await sql.lock_campaign_of(tx, plan_id)
        summary = await sql.get_summary(tx, plan_id)
        if summary is None:
            raise NotFound(f"no plan {plan_id}")
        if summary.status != "draft":
            raise InvalidInput(f"plan {plan_id} is {summary.status}; only a draft can be published",
                               details=[{"field": "status", "value": summary.status}])  # fmt: skip
        now = now_iso()
        await _check_bookings(tx, plan_id, summary.campaign, actor, confirm_double_booking, now)
        current = await sql.published_of(tx, summary.campaign)
        if current is not None:
            await sql.set_status(tx, current, "superseded", now)
        await sql.set_status(tx, plan_id, "published", now)
        await audit(tx, at=now, actor=actor, action="plan.publish", object_id=f"plan:{plan_id}")
        published = await sql.get_summary(tx, plan_id)
    assert published is not None
    return published


async def _check_bookings(tx: Tx, plan_id: int, campaign: str, actor: Actor, confirmed: bool,
                          now: str) -> None:  # fmt: skip
    document = await sql.get_document(tx, plan_id)
    assert document is not None
    booked = double_bookings(document, await sql.published_bookings(tx, campaign))
    if booked and not confirmed:
        raise DoubleBooked(f"publishing plan {plan_id} books {len(booked)} team-day(s) that "
                           "another campaign's published plan also uses; confirm to publish",
                           details=booking_details(booked))  # fmt: skip
    if booked:
        await audit(tx, at=now, actor=actor, action="plan.published_double_booked",
                    object_id=f"plan:{plan_id}")  # fmt: skip


async def checks(db: Database, plan_id: int) -> PlanChecks:
    """What to look at before publishing a plan: double bookings, unplaced meetings,
    approximately placed hubs."""
    found = await get_plan(db, plan_id)
    async with db.read() as tx:
        published = await sql.published_bookings(tx, found.summary.campaign)
        sites = await gazetteer_sql.planning_sites(tx, [])
    quality = {site.kato: site.location_quality for site in sites}
    return plan_checks(found.document, published, quality)


async def diff(db: Database, from_id: int, to_id: int) -> PlanDiff:
    """Meetings added, removed and moved between two plan versions."""
    before, after = await get_plan(db, from_id), await get_plan(db, to_id)
    return plan_diff(from_id, before.document, to_id, after.document)


async def replan(db: Database, geo: GeoCache, plan_id: int, edits: PlanEdits,
                 created_by: str | None = None) -> StoredPlan:  # fmt: skip
    """A new draft from a plan version and a coordinator's edits, made by `created_by`."""
    base = await get_plan(db, plan_id)
    return await create_draft(db, geo, base.document.spec.with_edits(edits), based_on=base,
                              created_by=created_by)  # fmt: skip
