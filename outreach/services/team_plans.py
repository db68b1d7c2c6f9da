"""What a field team has of the published plans: its days, meetings and places, and the
meetings it may log against (those of the plans a re-plan replaced included: a team offline
while its campaign was re-planned logs the plan it has)."""

from __future__ import annotations

import weakref

import msgspec

from outreach.db import plans as sql
from outreach.db.database import Database
from outreach.domain.planning import Place, PlanDay, PlanDocument, PlannedMeeting


class TeamPlan(msgspec.Struct, frozen=True, kw_only=True):
    """One team's part of a published plan: its days in order, its meetings, and the places
    (base, lodgings) its days start and end at; `earlier`, the campaign's plans this one
    replaced (a meeting logged against one of them is this plan's meeting of that id)."""

    plan_id: int
    campaign: str
    team: str
    days: list[PlanDay]
    meetings: list[PlannedMeeting]
    places: list[Place] = []
    earlier: list[int] = []


class _Kept(msgspec.Struct):
    """The cuts made since the published plans last changed (a published document never
    changes, and a plan is superseded only by a publication)."""

    published: sql.Published
    superseded: sql.Published
    plans: dict[str, list[TeamPlan]] = {}
    references: dict[str, set[tuple[int, str]]] = {}
    assigned: dict[int, list[tuple[str, str | None]]] = {}  # superseded plan -> (meeting, team)


_kept: weakref.WeakKeyDictionary[Database, _Kept] = weakref.WeakKeyDictionary()


async def _current(db: Database, published: sql.Published | None) -> _Kept:
    kept = _kept.get(db)
    if published is not None and kept is not None and kept.published == published:
        return kept  # what the caller read is what is kept: nothing to read again
    async with db.read() as tx:
        if published is None:
            published = await sql.published(tx)
        kept = _kept.get(db)
        if kept is None or kept.published != published:
            # read after `published` (a caller's earlier snapshot): a plan superseded since
            # is still the published one here
            shown = {i for i, _ in published}
            superseded = tuple(p for p in await sql.superseded(tx) if p[0] not in shown)
            kept = _kept[db] = _Kept(published, superseded)
    return kept


async def team_plans(db: Database, team: str | None,
                     published: sql.Published | None = None) -> list[TeamPlan]:  # fmt: skip
    """The published plans (those of `published` when the caller read which they are), cut
    down to one team's days and meetings, kept until another plan is published: pushes and
    pulls ask for them again and again."""
    if team is None:
        return []
    kept = await _current(db, published)
    found = kept.plans.get(team)
    if found is None:
        async with db.read() as tx:
            documents = [(i, name, await sql.get_document(tx, i)) for i, name in kept.published]
        found = [_team_part(i, name, team, document, kept.superseded)
                 for i, name, document in documents if document is not None]  # fmt: skip
        kept.plans[team] = found
    return found


async def references(db: Database, team: str | None) -> set[tuple[int, str]]:
    """(plan id, meeting id) of every meeting a team's records may name: the team's meetings
    in the published plans and in the plans they replaced."""
    if team is None:
        return set()
    kept = await _current(db, None)
    found = kept.references.get(team)
    if found is None:
        found = {(p.plan_id, m.id) for p in await team_plans(db, team, kept.published)
                 for m in p.meetings}  # fmt: skip
        async with db.read() as tx:
            for plan_id, _ in kept.superseded:
                if plan_id not in kept.assigned:  # decoded once, for every team
                    kept.assigned[plan_id] = await sql.assignments(tx, plan_id)
                found |= {(plan_id, meeting) for meeting, owner in kept.assigned[plan_id]
                          if owner == team}  # fmt: skip
        kept.references[team] = found
    return found


def _team_part(plan_id: int, campaign: str, team: str, document: PlanDocument,
               superseded: sql.Published) -> TeamPlan:  # fmt: skip
    days = [d for d in document.days if d.team == team]
    ends = {d.start_place for d in days} | {d.end_place for d in days}
    return TeamPlan(plan_id=plan_id, campaign=campaign, team=team, days=days,
                    meetings=[m for m in document.meetings if m.team == team],
                    places=[p for p in document.places if p.id in ends],
                    earlier=[i for i, name in superseded if name == campaign])  # fmt: skip
