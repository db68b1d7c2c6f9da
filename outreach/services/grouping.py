"""Meeting-group previews and travel between villages, over the stored gazetteer."""

from __future__ import annotations

import asyncio
from itertools import combinations

import msgspec

from geo.grouping import group_villages
from geo.grouping_types import ForcedGroup, GroupingPolicy, GroupingResult, GroupingSummary, Site
from geo.point import Point
from geo.travel import DetourTravelModel, DistrictTravel
from outreach.config import Settings
from outreach.db import gazetteer as sql
from outreach.db.database import Database
from outreach.domain.errors import InvalidInput, NotFound
from outreach.domain.gazetteer import LocationQuality, Names, PlanningSite, Position
from outreach.domain.grouping import GroupingPolicyInput, GroupingRequest


class GeoCache:
    """The travel model and its distance cache, kept for the life of the process. Distances
    between villages never change, so the pairs grouping needs are computed once per
    gazetteer version (a correction that moves a village adds its new pairs), and the cache
    keeps the last planning matrix, so a re-plan computes only rows for places it lacks."""

    def __init__(self, settings: Settings) -> None:
        overrides = {
            kato: DistrictTravel(detour_factor=o.detour_factor, speed_kmh=o.speed_kmh)
            for kato, o in settings.district_travel_overrides.items()
        }
        self.travel = DetourTravelModel(settings.detour_factor, settings.speed_kmh, overrides)
        self.warmed_version: int | None = None
        self._lock = asyncio.Lock()
        # plans take seconds of CPU each: one at a time per process, the others wait their turn
        self.planning = asyncio.Semaphore(1)

    async def sites(self, db: Database, districts: list[str]) -> tuple[int, list[PlanningSite]]:
        """The gazetteer version and the settlements of the districts; warms the cache with
        every same-okrug pair the first time a gazetteer version is seen."""
        async with db.read() as tx:
            version = await sql.version(tx)
            known = {d.kato for d in await sql.list_districts(tx)}
            sites = await sql.planning_sites(tx, districts)
            everything = await sql.planning_sites(tx, []) if version != self.warmed_version else []
        missing = sorted(set(districts) - known)
        if missing:
            details = [{"field": "districts", "value": kato} for kato in missing]
            raise InvalidInput(f"no such district: {', '.join(missing)}", details=details)
        if everything:
            async with self._lock:
                await asyncio.to_thread(self.travel.distances.warm, _okrug_pairs(everything))
                self.warmed_version = version
        return version, sites


def _okrug_pairs(sites: list[PlanningSite]) -> list[tuple[Point, Point]]:
    by_okrug: dict[str, list[Point]] = {}
    for site in sites:
        if site.okrug_kato and site.position and site.location_quality == "exact":
            by_okrug.setdefault(site.okrug_kato, []).append(_point(site.position))
    return [pair for points in by_okrug.values() for pair in combinations(points, 2)]


def _point(position: Position) -> Point:
    return Point(lat_deg=position.lat, lon_deg=position.lon)


def to_geo_site(site: PlanningSite) -> Site:
    """A stored settlement as geo/ takes it."""
    return Site(
        id=site.kato, district_id=site.district_kato, okrug_id=site.okrug_kato,
        position=_point(site.position) if site.position else None,
        location_quality=site.location_quality, population=site.population,
        is_okrug_centre=site.is_okrug_centre,
    )  # fmt: skip


def to_geo_policy(policy: GroupingPolicyInput) -> GroupingPolicy:
    """The API's policy (kilometres, lists) as geo/ takes it (metres, sets)."""
    return GroupingPolicy(
        max_gathering_m=policy.max_gathering_km * 1000,
        allow_cross_okrug=policy.allow_cross_okrug,
        max_expected_attendance=policy.max_expected_attendance,
        turnout_share=policy.turnout_share,
        solo_ids=frozenset(policy.solo),
        forced_groups=tuple(ForcedGroup(tuple(g.members), g.hub) for g in policy.forced_groups),
    )


class MemberView(msgspec.Struct, frozen=True, kw_only=True):
    """A village of a meeting group, with its road distance (m) and travel time (s) to the
    hub; both null when its position is unknown, and `approximate` when measured from a
    fallback position (then `position` is that fallback)."""

    kato: str
    names: Names
    location_quality: LocationQuality
    position: Position | None
    road_m: float | None
    travel_s: float | None
    population: int | None
    expected_attendance: float
    approximate: bool


class GroupView(msgspec.Struct, frozen=True, kw_only=True):
    """One meeting: its hub and the villages it gathers. `reason` says why a group is as it
    is when that is not the optimiser's choice: `beyond_max_distance`, `forced_solo`,
    `forced_group`, `over_capacity` or `approximate_only`."""

    id: str
    hub_kato: str
    hub_names: Names
    hub_position: Position | None
    okrug_kato: str | None
    district_kato: str
    members: list[MemberView]
    population_known: int
    population_unknown_villages: int
    expected_attendance: float
    max_road_m: float
    approximate: bool
    proven_optimal: bool
    reason: str | None


class GroupingPreview(msgspec.Struct, frozen=True, kw_only=True):
    """Meeting groups for the requested districts under the given policy; every settlement in
    scope is in exactly one group."""

    gazetteer_version: int
    districts: list[str]
    policy: GroupingPolicyInput
    summary: GroupingSummary
    groups: list[GroupView]


async def preview(db: Database, cache: GeoCache, request: GroupingRequest) -> GroupingPreview:
    """Group the settlements of the requested districts (all when none are named)."""
    districts = sorted(set(request.districts))
    version, sites = await cache.sites(db, districts)
    try:
        result = await asyncio.to_thread(group_villages, [to_geo_site(s) for s in sites],
                                         to_geo_policy(request.policy), cache.travel)  # fmt: skip
    except ValueError as exc:
        raise InvalidInput(str(exc), details=[{"field": "policy", "message": str(exc)}]) from exc
    return GroupingPreview(gazetteer_version=version, districts=districts, policy=request.policy,
                           summary=result.summary, groups=_views(result, sites))  # fmt: skip


def _views(result: GroupingResult, sites: list[PlanningSite]) -> list[GroupView]:
    by_kato = {site.kato: site for site in sites}
    views = []
    for group in result.groups:
        hub = by_kato[group.hub_id]
        members = [
            MemberView(kato=m.id, names=by_kato[m.id].names,
                       location_quality=by_kato[m.id].location_quality,
                       position=by_kato[m.id].position, road_m=m.road_m,
                       travel_s=m.travel_s, population=m.population,
                       expected_attendance=m.expected_attendance, approximate=m.approximate)
            for m in group.members
        ]  # fmt: skip
        views.append(GroupView(
            id=group.id, hub_kato=hub.kato, hub_names=hub.names, hub_position=hub.position,
            okrug_kato=group.okrug_id, district_kato=group.district_id, members=members,
            population_known=group.population_known,
            population_unknown_villages=group.population_unknown_villages,
            expected_attendance=group.expected_attendance, max_road_m=group.max_road_m,
            approximate=group.approximate, proven_optimal=group.proven_optimal,
            reason=group.reason,
        ))  # fmt: skip
    return views


class Travel(msgspec.Struct, frozen=True, kw_only=True):
    """Distance and travel time between two settlements: geodesic and road metres, seconds
    at the origin district's average speed. `approximate` when either position is a fallback."""

    from_kato: str
    to_kato: str
    geodesic_m: float
    road_m: float
    travel_s: float
    approximate: bool


async def travel_between(db: Database, cache: GeoCache, origin: str, destination: str
                         ) -> Travel:  # fmt: skip
    """Distance and travel time between two settlements."""
    async with db.read() as tx:
        a = await sql.get_village(tx, origin)
        b = await sql.get_village(tx, destination)
    if a is None or b is None:
        raise NotFound(f"no settlement {origin if a is None else destination}")
    pa, pb = a.best_position, b.best_position
    if pa is None or pb is None:
        raise InvalidInput("a settlement has no position, not even an approximate one")
    point_a, point_b = _point(pa), _point(pb)
    return Travel(
        from_kato=origin, to_kato=destination,
        geodesic_m=round(cache.travel.distances.geodesic_m(point_a, point_b), 1),
        road_m=round(cache.travel.road_m(point_a, point_b, a.district_kato), 1),
        travel_s=round(cache.travel.travel_s(point_a, point_b, a.district_kato), 1),
        approximate=a.location_quality != "exact" or b.location_quality != "exact",
    )  # fmt: skip
