"""Coverage for leadership and coordinators: computed from held meetings, the published plans
and the gazetteer, for a filter (campaign, district, okrug, team, dates); kept up to date by
change (coverage_state) and cached until sync or plans change."""

from __future__ import annotations

import asyncio
import logging
import time

from outreach.db import coverage as sql
from outreach.db import targets as targets_sql
from outreach.db.accounts import audit
from outreach.db.database import Database
from outreach.domain.accounts import Actor
from outreach.domain.coverage import Coverage
from outreach.domain.gazetteer import Names, Village
from outreach.services import coverage_state, gazetteer, registry
from outreach.services.clock import now_iso
from outreach.services.coverage_build import CoverageFilter, Facts, build
from outreach.services.coverage_campaigns import published

log = logging.getLogger("outreach")

__all__ = ["CoverageCache", "CoverageFilter", "Facts", "build", "coverage", "facts"]


async def facts(db: Database, team: str | None = None) -> Facts:
    """Read the facts in one snapshot."""
    async with db.read() as tx:
        return Facts(
            villages=await sql.villages(tx),
            meetings=await sql.held_meetings(tx, team),
            residents=await sql.residents(tx),
            plans={s.id: doc for s, doc in await published(tx)},
            campaigns=await sql.campaigns(tx),
            targets=await targets_sql.targets(tx),
        )


class CoverageCache:
    """Coverage already computed, by data version and filter: dashboards that poll, and
    several people looking at once, cost one computation per change."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._kept: dict[tuple[object, ...], Coverage] = {}

    def get(self, key: tuple[object, ...]) -> Coverage | None:
        return self._kept.get(key)

    def put(self, key: tuple[object, ...], value: Coverage) -> None:
        if len(self._kept) >= self.size:
            self._kept.pop(next(iter(self._kept)))  # the oldest
        self._kept[key] = value


async def coverage(
    db: Database, where: CoverageFilter, cache: CoverageCache | None = None
) -> Coverage:
    """Coverage for a filter: kept up to date by change (coverage_state), and from the cache
    when nothing changed since. A viewer who leaves does not stop the catching up halfway:
    the next one finds it done."""
    return await asyncio.shield(_coverage(db, where, cache))


async def _coverage(db: Database, where: CoverageFilter, cache: CoverageCache | None) -> Coverage:
    await registry.fresh_db(db)  # the funnel counts residents: all records absorbed first
    kept = coverage_state.state(db)
    async with kept.lock:
        key = (await kept.catch_up(db), where)
        found = cache.get(key) if cache is not None else None
        if found is None:
            found = await asyncio.to_thread(kept.coverage, where)  # other requests go on
            if cache is not None:
                cache.put(key, found)
        return found


async def warm(db: Database) -> None:
    """Count what is stored, as a process's first view would (when the server starts); a
    failure is logged, and the first view tries again."""
    kept = coverage_state.state(db)
    started = time.perf_counter()
    try:
        async with kept.lock:
            await kept.catch_up(db)
    except Exception:
        log.exception("coverage could not count what is stored; the first view will try again")
        return
    log.info("coverage counted what is stored in %.1f s", time.perf_counter() - started)


async def gazetteer_villages(db: Database) -> dict[str, Village]:
    """Every village of the gazetteer by KATO code, for names and positions."""
    return {v.kato: v for v in await gazetteer.all_villages(db)}


async def gazetteer_areas(db: Database) -> dict[str, Names]:
    """The names of every district and okrug by KATO code, for exports."""
    names = {district.kato: district.names for district in await gazetteer.list_districts(db)}
    names.update({okrug.kato: okrug.names for okrug in await gazetteer.list_okrugs(db)})
    return names


async def audited_export(db: Database, what: str, actor: Actor) -> None:
    """Keep the export in the audit log."""
    async with db.write() as tx:
        await audit(tx, at=now_iso(), actor=actor, action=f"coverage.export.{what}")


async def version(db: Database) -> str:
    """Changes whenever coverage may change: new records, published plans, the gazetteer,
    the residents. The registry catches up first (as before a view), so the version does not
    move on again when it absorbs what a push stored, whichever process answers."""
    await registry.fresh_db(db)
    async with db.read() as tx:
        return ".".join(str(part) for part in await sql.data_version(tx))
