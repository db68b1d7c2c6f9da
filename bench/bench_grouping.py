"""Benchmark: grouping the Kyzylorda gazetteer and synthetic regions of 1,500 and 6,000
villages, beside the time to compute the distances alone (the pairs grouping needs); then the
planner's road and time matrices between the meetings' hubs, vectorised, beside the pairwise
computation it replaced (geopy per pair through the distance cache), measured on a corner of
the matrix and scaled to the whole (its cost is the same for every pair).

Run: .venv/bin/python bench/bench_grouping.py [--cross-okrug]
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from itertools import combinations

from geo.distance import geodesic_m
from geo.grouping import group_villages
from geo.grouping_types import GroupingPolicy, GroupingResult, Site
from geo.point import Point
from geo.travel import DetourTravelModel, travel_matrices
from outreach.config import KYZYLORDA_DIR
from outreach.domain.gazetteer_csv import parse_gazetteer


def kyzylorda_sites() -> list[Site]:
    """The shipped gazetteer, with fallback positions resolved as the service does."""
    settlements = (KYZYLORDA_DIR / "settlements.csv").read_text()
    districts = (KYZYLORDA_DIR / "districts.csv").read_text()
    data = parse_gazetteer(settlements, districts_text=districts)
    by_kato = {s.kato: s for s in data.settlements}
    centres = {d.kato: d.centre for d in data.districts}
    sites = []
    for s in data.settlements:
        okrug_centre = by_kato.get(s.okrug_kato[:6] + "100") if s.okrug_kato else None
        if s.position:
            quality, position = "exact", s.position
        elif okrug_centre and okrug_centre.position:
            quality, position = "okrug_centre", okrug_centre.position
        else:
            quality, position = "district_centre", centres[s.district_kato]
        sites.append(Site(
            id=s.kato, district_id=s.district_kato, okrug_id=s.okrug_kato,
            position=Point(position.lat, position.lon) if position else None,
            location_quality=quality, population=s.population,  # type: ignore[arg-type]
            is_okrug_centre=bool(s.okrug_kato) and s.kato.endswith("100"),
        ))  # fmt: skip
    return sites


def synthetic_sites(villages: int = 6000, okrugs: int = 1500, seed: int = 7) -> list[Site]:
    """A region 700 km by 300 km: okrugs of villages within about 12 km of their centre."""
    rng = random.Random(seed)
    sites = []
    for o in range(okrugs):
        centre = Point(43.5 + rng.uniform(0, 2.7), 60.0 + rng.uniform(0, 8.8))
        # seven districts, west to east along the region like the Syr Darya's
        district = f"99{int((centre.lon_deg - 60.0) / 8.8 * 7) + 10:02d}00000"
        okrug = f"{district[:4]}{o:05d}"
        for v in range(villages // okrugs):
            located = rng.random() < 0.6
            sites.append(Site(
                id=f"{okrug}{v:02d}", district_id=district, okrug_id=okrug,
                position=Point(centre.lat_deg + rng.uniform(-0.1, 0.1),
                               centre.lon_deg + rng.uniform(-0.14, 0.14)) if located else centre,
                location_quality="exact" if located else "okrug_centre",
                population=rng.choice([None, rng.randint(80, 4000)]), is_okrug_centre=v == 0,
            ))  # fmt: skip
    return sites


def matrix_alone_s(sites: list[Site]) -> tuple[float, int]:
    """Seconds to compute every same-okrug geodesic pair of located villages, and how many."""
    by_okrug: dict[str | None, list[Point]] = defaultdict(list)
    for s in sites:
        if s.exact and s.position:
            by_okrug[s.okrug_id or s.id].append(s.position)
    started = time.perf_counter()
    pairs = 0
    for points in by_okrug.values():
        for a, b in combinations(points, 2):
            geodesic_m(a, b)
            pairs += 1
    return time.perf_counter() - started, pairs


def run(name: str, sites: list[Site], policy: GroupingPolicy) -> GroupingResult:
    matrix_s, pairs = matrix_alone_s(sites)
    travel = DetourTravelModel()
    started = time.perf_counter()
    result = group_villages(sites, policy, travel)
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    group_villages(sites, policy, travel)
    warm_s = time.perf_counter() - started
    s = result.summary
    print(
        f"{name}: {len(sites)} villages -> {s.meetings} meetings "
        f"({s.groups_proven_optimal} proven optimal), largest {s.largest_gathering_m / 1000:.1f} km"
    )
    print(f"  distances alone ({pairs} pairs): {matrix_s * 1000:8.1f} ms")
    print(
        f"  grouping, cold distance cache : {cold_s * 1000:8.1f} ms  "
        f"(x{cold_s / matrix_s:.2f} of distances alone)"
    )
    print(f"  grouping, warm distance cache : {warm_s * 1000:8.1f} ms  "
          f"(x{warm_s / matrix_s:.2f} of distances alone)")  # fmt: skip
    return result


def matrices(sites: list[Site], grouping: GroupingResult, corner: int = 300) -> None:
    """The planner's matrices between located hubs: vectorised (cold, then kept by the cache)
    beside the pairwise path on a `corner` x `corner` block, scaled by (hubs / corner)^2."""
    by_id = {s.id: s for s in sites}
    hubs = [by_id[g.hub_id] for g in grouping.groups if by_id[g.hub_id].position is not None]
    points = [h.position for h in hubs if h.position is not None]
    districts: list[str | None] = [h.district_id for h in hubs]
    travel = DetourTravelModel()
    started = time.perf_counter()
    travel_matrices(travel, points, districts)
    fast_s = time.perf_counter() - started
    started = time.perf_counter()
    travel_matrices(travel, points, districts)
    kept_s = time.perf_counter() - started
    size = min(corner, len(points))
    pairwise = DetourTravelModel()
    started = time.perf_counter()
    [[pairwise.road_m(a, b, districts[r]) for b in points[:size]]
     for r, a in enumerate(points[:size])]  # fmt: skip
    [[pairwise.travel_s(a, b, districts[r]) for b in points[:size]]
     for r, a in enumerate(points[:size])]  # fmt: skip
    old_s = (time.perf_counter() - started) * (len(points) / size) ** 2
    scaled = "" if size == len(points) else f", scaled from {size}x{size}"
    print(f"  matrices, {len(points)} hubs ({len(points) ** 2:,} cells):")
    print(f"    pairwise (the old path{scaled}): {old_s:8.2f} s")
    print(f"    vectorised, cold cache          : {fast_s:8.2f} s  (x{old_s / fast_s:.0f} faster)")
    print(f"    vectorised, kept by the cache   : {kept_s:8.2f} s  (x{old_s / kept_s:.0f} faster)")


if __name__ == "__main__":
    crossing = "--cross-okrug" in sys.argv
    policy = GroupingPolicy(allow_cross_okrug=crossing)
    run("Kyzylorda gazetteer", kyzylorda_sites(), policy)
    for villages, okrugs in ((1_500, 375), (6_000, 1_500)):
        sites = synthetic_sites(villages, okrugs)
        grouping = run(f"synthetic region, {okrugs} okrugs", sites, policy)
        matrices(sites, grouping)
