"""Coverage kept up to date, per database and process: held meetings summed by cell, and
each filter's funnel, caught up from the database before every view by reading only what
changed since (the meeting records after the last sync sequence number seen, the residents
the registry noted after the last registry version seen). A change of the published plans,
the gazetteer or the targets (rare) reads everything again. Several processes each catch up
from the database; nothing assumes one (docs/coverage.md)."""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from datetime import date

from outreach.db import coverage as sql
from outreach.db import targets as targets_sql
from outreach.db.database import Database, Tx
from outreach.db.residents import CHANGES_KEPT
from outreach.domain.coverage import Coverage, FunnelCounts, MeetingFacts, ResidentFacts
from outreach.domain.coverage_cells import HeldCells, Scope, summarise
from outreach.services.coverage_build import (
    CoverageFilter,
    Facts,
    Funnels,
    Window,
    assemble,
    listed_alone,
    planned_facts,
    scope_of,
    window_of,
)
from outreach.services.coverage_campaigns import published

VIEWS_KEPT = 32  # filters whose funnel is kept up to date (the others are counted again)


class FunnelView:
    """One filter's funnel, kept up to date resident by resident."""

    def __init__(self) -> None:
        self.counted: set[int] = set()
        self.all = FunnelCounts()
        self.by_district: dict[str, FunnelCounts] = defaultdict(FunnelCounts)
        self.by_programme: dict[str, FunnelCounts] = defaultdict(FunnelCounts)

    def add(self, r: ResidentFacts, sign: int) -> None:
        (self.counted.add if sign > 0 else self.counted.discard)(r.id)
        self.all.add(r, sign)
        self.by_district[r.district or "unknown"].add(r, sign)
        self.by_programme[r.programme or "unspecified"].add(r, sign)

    def funnels(self) -> Funnels:
        return Funnels(
            all=self.all.row("all"),
            by_district=_rows(self.by_district),
            by_programme=_rows(self.by_programme),
        )


def _rows(groups: dict[str, FunnelCounts]) -> list:  # type: ignore[type-arg]
    return [c.row(key) for key, c in sorted(groups.items()) if c.people]


class CoverageState:
    """What one process keeps of one database's coverage."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.version: tuple[object, ...] | None = None
        self.seq = 0
        self.registry = 0
        self.static = Facts(villages=[], meetings=[], residents=[], plans={})
        self.plan: tuple[list, list] = ([], [])  # type: ignore[type-arg]
        self.cells = HeldCells([])
        self.residents: dict[int, ResidentFacts] = {}
        # meeting -> residents listed (lists: a set per meeting took three times the memory)
        self.listing: dict[str, list[int]] = defaultdict(list)
        self.views: OrderedDict[CoverageFilter, FunnelView] = OrderedDict()

    async def catch_up(self, db: Database) -> tuple[object, ...]:
        """Take in what changed since the last look; the data version now seen. What changed
        is read in one snapshot, then taken in by a worker thread: a process's first view
        counts every meeting and resident (seconds at 100,000 meetings), and the server's
        other requests go on meanwhile."""
        async with db.read() as tx:
            version = await sql.data_version(tx)
            if version == self.version:
                return version
            last_seq, registry = int(version[0]), int(version[4])  # type: ignore[call-overload]
            if (
                self.version is None
                or _static(version) != _static(self.version)
                or last_seq < self.seq  # a backup restored
                or registry < self.registry
            ):
                work = await self._everything(tx)
            else:
                work = await self._changes(tx, last_seq, registry)
        try:
            await asyncio.to_thread(work)
        except BaseException:
            self.version = None  # half taken in: read everything at the next look
            raise
        self.version, self.seq, self.registry = version, last_seq, registry
        return version

    async def _everything(self, tx: Tx) -> Callable[[], None]:
        """Everything read again: at start, and after the plans, gazetteer or targets change."""
        plans = {s.id: doc for s, doc in await published(tx)}
        static = Facts(villages=await sql.villages(tx), meetings=[], residents=[], plans=plans,
                       campaigns=await sql.campaigns(tx),
                       targets=await targets_sql.targets(tx))  # fmt: skip
        meetings = await sql.held_meetings(tx, None)
        residents = await sql.residents(tx)

        def take_in() -> None:
            self.static, self.plan = static, planned_facts(plans)
            self.cells = HeldCells(static.villages)
            for m in meetings:
                self.cells.put(m.id, m)
            self._residents_anew(residents)

        return take_in

    def _residents_anew(self, residents: list[ResidentFacts]) -> None:
        self.residents = {r.id: r for r in residents}
        self.listing = defaultdict(list)
        for r in residents:
            for meeting_id in dict.fromkeys(r.meetings):  # once, if listed twice there
                self.listing[meeting_id].append(r.id)
        self.views.clear()

    async def _changes(self, tx: Tx, last_seq: int, registry: int) -> Callable[[], None]:
        """The meetings stored and the residents noted since the last look."""
        meetings = await sql.changed_meetings(tx, self.seq, last_seq)
        if registry - self.registry > CHANGES_KEPT:  # too far behind: every resident again
            everyone = await sql.residents(tx)

            def take_all() -> None:
                for meeting_id, facts in meetings:
                    self.cells.put(meeting_id, facts)
                self._residents_anew(everyone)

            return take_all
        changed = await sql.changed_residents(tx, self.registry, registry)
        fresh = {r.id: r for r in await sql.residents_of(tx, changed)}
        return lambda: self._advance(meetings, changed, fresh)

    def _advance(self, meetings: list[tuple[str, MeetingFacts | None]], changed: list[int],
                 fresh: dict[int, ResidentFacts]) -> None:  # fmt: skip
        touched = set(changed)
        for meeting_id, _ in meetings:
            touched.update(self.listing.get(meeting_id, ()))
        for view in self.views.values():  # old contributions out, with the old facts
            for rid in touched & view.counted:
                view.add(self.residents[rid], -1)
        for meeting_id, facts in meetings:
            self.cells.put(meeting_id, facts)
        for rid in changed:
            self._replace(rid, fresh.get(rid))
        for where, view in self.views.items():
            held = self._held(where)
            for rid in touched:
                r = self.residents.get(rid)
                if r is not None and _counted(r, held, where):
                    view.add(r, 1)

    def _replace(self, rid: int, new: ResidentFacts | None) -> None:
        old = self.residents.pop(rid, None)
        for meeting_id in old.meetings if old else ():
            listed = self.listing[meeting_id]
            if rid in listed:
                listed.remove(rid)
            if not listed:
                del self.listing[meeting_id]
        if new is not None:
            self.residents[rid] = new
            for meeting_id in new.meetings:
                if rid not in self.listing[meeting_id]:
                    self.listing[meeting_id].append(rid)

    def coverage(self, where: CoverageFilter) -> Coverage:
        """The filter's coverage from what is kept (costs per cell, village and week)."""
        f = self.static
        window = window_of(where, f.plans)
        listed = self.cells.listed.get(where.team) or () if where.team else ()
        scope = scope_of(f, where, self.plan[0], listed)
        summary = summarise(self.cells, window.keeps, self._campaigns, _cut(self, where),
                            {v.kato for v in scope})  # fmt: skip
        return assemble(f, where, scope, self.plan, summary, self._view(where).funnels())

    def _campaigns(self, day: date, plan_id: int | None) -> list[int]:
        return [
            p
            for p, doc in self.static.plans.items()
            if plan_id == p or (plan_id is None and doc.spec.start <= day <= doc.spec.end)
        ]

    def _view(self, where: CoverageFilter) -> FunnelView:
        view = self.views.get(where)
        if view is not None:
            self.views.move_to_end(where)
            return view
        view = self.views[where] = FunnelView()
        held = self._held(where)
        for r in self.residents.values():
            if _counted(r, held, where):
                view.add(r, 1)
        if len(self.views) > VIEWS_KEPT:
            self.views.popitem(last=False)
        return view

    def _held(self, where: CoverageFilter) -> _Held:
        return _Held(self.cells, window_of(where, self.static.plans), _cut(self, where))


class _Held:
    """Whether a meeting is among a filter's held meetings that reached its scope."""

    def __init__(self, cells: HeldCells, window: Window, scope: Scope) -> None:
        self.entries, self.window, self.scope = cells.entries, window, scope

    def __call__(self, meeting_id: str) -> bool:
        e = self.entries.get(meeting_id)
        if e is None:
            return False
        m = e.facts
        return self.window.keeps(m.date, m.plan_id, m.team) and e.within(self.scope)


def _counted(r: ResidentFacts, held: _Held, where: CoverageFilter) -> bool:
    """As coverage_build._people: listed at a held meeting; with nothing but a district
    chosen, also brought in by a programme list alone."""
    return any(held(m) for m in r.meetings) or listed_alone(r, where)


def _cut(state: CoverageState, where: CoverageFilter) -> Scope:
    """How the filter's district, okrug and campaign cut the villages a meeting reached (its
    team never does: the team's scope holds every village its meetings listed)."""
    districts = {where.district} if where.district else None
    spec = state.static.plans[where.campaign].spec if where.campaign in state.static.plans else None
    if spec is not None and spec.districts:
        districts = set(spec.districts) & districts if districts else set(spec.districts)
    if where.okrug:
        owner = state.cells.okrug_district.get(where.okrug)
        if owner is None or (districts is not None and owner not in districts):
            return Scope(nothing=True)
        return Scope(okrug=where.okrug)
    if districts is not None:
        return Scope(districts=frozenset(districts), nothing=not districts)
    return Scope()


def _static(version: tuple[object, ...]) -> tuple[object, ...]:
    """The parts of the data version other than records and the registry."""
    return version[1:4] + version[5:]


_states: weakref.WeakKeyDictionary[Database, CoverageState] = weakref.WeakKeyDictionary()


def state(db: Database) -> CoverageState:
    """The coverage kept for a database in this process."""
    found = _states.get(db)
    if found is None:
        found = _states[db] = CoverageState()
    return found
