"""Dependencies handlers ask for by name."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency

from outreach.db.database import Database
from outreach.services.coverage import CoverageCache
from outreach.services.grouping import GeoCache

DB = NamedDependency[Database]
CoverageCacheDep = NamedDependency[CoverageCache]
Geo = NamedDependency[GeoCache]


def provide_db(state: State) -> Database:
    """The app's database, opened in the lifespan."""
    db: Database = state.db
    return db


def provide_geo(state: State) -> GeoCache:
    """The travel model and distance cache, made once in the lifespan."""
    geo: GeoCache = state.geo
    return geo


def provide_coverage_cache(state: State) -> CoverageCache:
    """Coverage computed already, kept for the app's lifetime."""
    cache: CoverageCache = state.coverage_cache
    return cache
