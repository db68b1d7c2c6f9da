"""Grouping at scale gives the groups the unfiltered computation gives: the prefilter that
skips pairs beyond reach, and the per-okrug index of approximate villages, change nothing."""

from __future__ import annotations

import random

import pytest
from hypothesis import given

from geo.grouping import group_villages
from geo.grouping_types import GroupingPolicy, Site
from geo.hub_choice import Pool, choose_hubs
from geo.point import Point
from geo.travel import DetourTravelModel
from tests.geo.factories import make_site
from tests.geo.test_grouping_properties import PROFILE, policies, villages


class Unfiltered(DetourTravelModel):
    """The same distances, through a redefined `road_m`: grouping then measures every pair."""

    def road_m(self, a: Point, b: Point, district_id: str | None = None) -> float:
        return super().road_m(a, b, district_id)


@PROFILE
@given(villages(max_size=24), policies)
def test_prefiltered_grouping_equals_unfiltered(sites, policy) -> None:
    assert group_villages(sites, policy, DetourTravelModel()) == group_villages(
        sites, policy, Unfiltered()
    )


def region(count: int, seed: int) -> list[Site]:
    rng = random.Random(seed)
    return [make_site(i + 1, okrug=f"43100{i % 7:04d}", north_km=rng.uniform(0, 60),
                      east_km=rng.uniform(0, 60), population=rng.choice([None, 400, 2500]),
                      quality=rng.choice(["exact", "exact", "okrug_centre", "unknown"]),
                      centre=i < 7)
            for i in range(count)]  # fmt: skip


def test_large_pools_equal_unfiltered_with_and_without_crossing() -> None:
    sites = region(90, seed=3)
    for crossing in (False, True):
        policy = GroupingPolicy(allow_cross_okrug=crossing, max_gathering_m=12_000)
        fast = group_villages(sites, policy, DetourTravelModel())
        assert fast == group_villages(sites, policy, Unfiltered())
        assert any(not g.proven_optimal for g in fast.groups) or not crossing


def test_progress_counts_pools() -> None:
    told: list[tuple[int, int]] = []
    group_villages(region(40, seed=4), GroupingPolicy(), DetourTravelModel(),
                   lambda done, total: told.append((done, total)))  # fmt: skip
    assert told == [(n, 7) for n in range(1, 8)]


# The search as it was before it was made fast (every candidate assigned in full, every hub's
# greedy key recomputed at every step): the fast one must take exactly the same steps.


def plain_assign(pool: Pool, hubs: list[int]) -> tuple[tuple, list[int]] | None:
    assignment = []
    for v in range(len(pool.sites)):
        if v in hubs:
            assignment.append(v)
            continue
        options = [h for h in hubs if v in pool.cover[h]]
        if not options:
            return None
        assignment.append(min(options, key=lambda h: pool._preference(h, v)))
    if not pool._fits(assignment):
        assignment = pool._assign_with_cap(hubs)
        if assignment is None:
            return None
    return pool.cost(hubs, assignment), assignment


def plain_search(pool: Pool) -> list[int]:
    uncovered = set(range(len(pool.sites)))
    hubs: list[int] = []
    while uncovered:
        hub = min(range(len(pool.sites)), key=lambda h: (
            -len(pool.cover[h] & uncovered),
            sum(pool.weight[v] * pool.road_m[h][v] for v in pool.cover[h] & uncovered),
            not pool.sites[h].is_okrug_centre, pool.sites[h].id))  # fmt: skip
        hubs.append(hub)
        uncovered -= pool.cover[hub]
    everyone = list(range(len(pool.sites)))
    best = plain_assign(pool, sorted(hubs)) or (pool.cost(everyone, everyone), everyone)
    improved, rounds = True, 0
    while improved and rounds < 500:
        improved, rounds = False, rounds + 1
        current = sorted(set(best[1]))
        fewer = [[h for h in current if h != drop] for drop in current if len(current) > 1]
        swapped = [sorted([h for h in current if h != out] + [into])
                   for out in current for into in sorted(pool.cover[out])
                   if into not in current]  # fmt: skip
        for candidate in fewer + swapped:
            found = plain_assign(pool, candidate)
            if found is not None and found[0][:2] < best[0][:2]:
                best, improved = found, True
                break
    return best[1]


@pytest.mark.parametrize(("seed", "count", "cap"), [
    (1, 60, None), (2, 120, None), (3, 200, None), (4, 80, 5000.0), (6, 100, 3000.0),
])  # fmt: skip
def test_fast_search_takes_the_plain_search_steps(seed, count, cap) -> None:
    rng = random.Random(seed)
    sites = [make_site(i + 1, north_km=rng.uniform(0, 70), east_km=rng.uniform(0, 70),
                       population=rng.choice([None, 150, 900, 2600]), centre=rng.random() < 0.2)
             for i in range(count)]  # fmt: skip
    policy = GroupingPolicy(max_gathering_m=15_000, max_expected_attendance=cap)
    pool = Pool(sites, policy, DetourTravelModel())
    assert choose_hubs(pool).assignment == plain_search(pool)
