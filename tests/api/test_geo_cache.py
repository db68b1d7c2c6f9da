"""Distances are computed once per gazetteer version and kept."""

from __future__ import annotations

from collections import Counter

from outreach.config import Settings
from outreach.db.database import Database, connect
from outreach.domain.accounts import Actor
from outreach.domain.gazetteer import Page, Position, Village, VillageFilter, VillagePatch
from outreach.domain.grouping import GroupingRequest
from outreach.services.gazetteer import list_villages, patch_village
from outreach.services.gazetteer_import import load_packaged_if_empty
from outreach.services.grouping import GeoCache, preview


async def village_with_located_neighbour(db: Database) -> Village:
    page = await list_villages(db, VillageFilter(location_quality="exact"), Page(limit=1000))
    okrugs = Counter(v.okrug_kato for v in page.items if v.okrug_kato)
    return next(v for v in page.items if v.okrug_kato and okrugs[v.okrug_kato] > 1)


async def test_repeated_previews_compute_no_new_distances(database) -> None:
    db = connect(database.url)
    await db.open()
    try:
        await load_packaged_if_empty(db)
        cache = GeoCache(Settings())
        first = await preview(db, cache, GroupingRequest())
        computed = cache.travel.distances.computed
        assert computed > 0
        second = await preview(db, cache, GroupingRequest())
        assert cache.travel.distances.computed == computed
        assert second == first
        # a correction moves the gazetteer on: the moved village's pairs are added, once
        moved = await village_with_located_neighbour(db)
        position = Position(lat=moved.position.lat + 0.01, lon=moved.position.lon)
        await patch_village(db, moved.kato, VillagePatch(position=position), Actor("test"))
        await preview(db, cache, GroupingRequest())
        after_patch = cache.travel.distances.computed
        assert after_patch > computed
        await preview(db, cache, GroupingRequest())
        assert cache.travel.distances.computed == after_patch
    finally:
        await db.close()
