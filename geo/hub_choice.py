"""Choosing hubs among located villages so that each lies within reach of one.

Objective, in order: fewest hubs; then least population-weighted road distance of villages to
their hub; then most hubs at okrug centres; then hub ids, for determinism. Pools of at most
`exact_max_candidates` villages are solved exactly by enumerating hub sets in increasing size
(every village is a candidate hub). Larger pools use greedy set cover followed by hub removal
and hub swaps while they improve the objective (not proven optimal). An attendance cap is met
by a greedy capacity-aware assignment; a pool whose cap decided anything is not proven optimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from geo.grouping_types import GroupingPolicy, Site
from geo.travel import TravelModel

Cost = tuple[float, int, tuple[str, ...]]
MAX_IMPROVEMENTS = 500


class HubChoice:
    """Village index -> hub index for one pool, and whether that is proven optimal."""

    def __init__(self, assignment: list[int], proven_optimal: bool) -> None:
        self.assignment = assignment
        self.proven_optimal = proven_optimal


class Pool:
    """Located villages that may share meetings, with their road distances (metres)."""

    def __init__(self, sites: Sequence[Site], policy: GroupingPolicy, travel: TravelModel
                 ) -> None:  # fmt: skip
        self.sites = list(sites)
        self.policy = policy
        size = len(self.sites)
        self.road_m = [[0.0] * size for _ in range(size)]
        for h, hub in enumerate(self.sites):
            for v, village in enumerate(self.sites):
                if h != v and hub.position and village.position:
                    self.road_m[h][v] = travel.road_m(hub.position, village.position,
                                                      hub.district_id)  # fmt: skip
        limit = policy.max_gathering_m
        self.cover = [frozenset(v for v in range(size) if self.road_m[h][v] <= limit)
                      for h in range(size)]  # fmt: skip
        self.weight = [site_weight(site, policy) for site in self.sites]
        self.cap_decided = False

    def assign(self, hubs: Sequence[int]) -> tuple[Cost, list[int]] | None:
        """The best assignment to these hubs, with its cost; None if some village is out of
        reach or the cap cannot be met."""
        hub_set = set(hubs)
        assignment = []
        for v in range(len(self.sites)):
            if v in hub_set:
                assignment.append(v)
                continue
            options = [h for h in hubs if v in self.cover[h]]
            if not options:
                return None
            assignment.append(min(options, key=lambda h: self._preference(h, v)))
        if not self._fits(assignment):
            self.cap_decided = True
            capacitated = self._assign_with_cap(hubs)
            if capacitated is None:
                return None
            assignment = capacitated
        return self.cost(hubs, assignment), assignment

    def cost(self, hubs: Sequence[int], assignment: list[int]) -> Cost:
        travel = sum(self.weight[v] * self.road_m[h][v] for v, h in enumerate(assignment))
        centres = sum(self.sites[h].is_okrug_centre for h in hubs)
        return round(travel, 3), -centres, tuple(sorted(self.sites[h].id for h in hubs))

    def _preference(self, h: int, v: int) -> tuple[float, bool, str]:
        return self.road_m[h][v], not self.sites[h].is_okrug_centre, self.sites[h].id

    def _fits(self, assignment: list[int]) -> bool:
        cap = self.policy.max_expected_attendance
        if cap is None:
            return True
        loads: dict[int, float] = {}
        for v, h in enumerate(assignment):
            loads[h] = loads.get(h, 0.0) + self.weight[v] * self.policy.turnout_share
        return all(load <= cap + 1e-9 for load in loads.values())

    def _assign_with_cap(self, hubs: Sequence[int]) -> list[int] | None:
        cap = self.policy.max_expected_attendance or 0.0
        share = self.policy.turnout_share
        assignment = list(range(len(self.sites)))
        loads = {h: self.weight[h] * share for h in hubs}
        others = sorted((v for v in range(len(self.sites)) if v not in loads),
                        key=lambda v: (-self.weight[v], self.sites[v].id))  # fmt: skip
        for v in others:
            options = [h for h in hubs if v in self.cover[h]
                       and loads[h] + self.weight[v] * share <= cap + 1e-9]  # fmt: skip
            if not options:
                return None
            hub = min(options, key=lambda h: self._preference(h, v))
            assignment[v] = hub
            loads[hub] += self.weight[v] * share
        return assignment


def site_weight(site: Site, policy: GroupingPolicy) -> float:
    """Residents a village stands for: its population, or the policy's assumed population."""
    return float(site.population if site.population is not None else policy.assumed_population)


def choose_hubs(pool: Pool) -> HubChoice:
    """Hubs for a pool: exact when it is small enough, else the documented heuristic."""
    if len(pool.sites) <= pool.policy.exact_max_candidates:
        return _exact(pool)
    return _heuristic(pool)


def _exact(pool: Pool) -> HubChoice:
    everyone = range(len(pool.sites))
    for size in range(1, len(pool.sites) + 1):
        best: tuple[Cost, list[int]] | None = None
        for hubs in combinations(everyone, size):
            if len(frozenset().union(*(pool.cover[h] for h in hubs))) < len(pool.sites):
                continue
            found = pool.assign(hubs)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is not None:
            return HubChoice(best[1], proven_optimal=not pool.cap_decided)
    raise AssertionError("every village as its own hub always fits")  # pragma: no cover


def _heuristic(pool: Pool) -> HubChoice:
    hubs = _greedy_cover(pool)
    best = pool.assign(hubs) or _solo(pool)
    improved, rounds = True, 0
    while improved and rounds < MAX_IMPROVEMENTS:
        improved, rounds = False, rounds + 1
        for candidate in _neighbours(pool, best[1]):
            found = pool.assign(candidate)
            if found is not None and found[0][:2] < best[0][:2]:
                best, improved = found, True
                break
    return HubChoice(best[1], proven_optimal=False)


def _greedy_cover(pool: Pool) -> list[int]:
    uncovered = set(range(len(pool.sites)))
    hubs: list[int] = []
    while uncovered:
        hub = min(range(len(pool.sites)), key=lambda h: (
            -len(pool.cover[h] & uncovered),
            sum(pool.weight[v] * pool.road_m[h][v] for v in pool.cover[h] & uncovered),
            not pool.sites[h].is_okrug_centre, pool.sites[h].id))  # fmt: skip
        hubs.append(hub)
        uncovered -= pool.cover[hub]
    return sorted(hubs)


def _solo(pool: Pool) -> tuple[Cost, list[int]]:
    everyone = list(range(len(pool.sites)))
    return pool.cost(everyone, everyone), everyone


def _neighbours(pool: Pool, assignment: list[int]) -> list[list[int]]:
    """Hub sets one step away: one hub fewer first (fewer meetings), then one hub swapped for
    a village within its reach."""
    hubs = sorted(set(assignment))
    fewer = [[h for h in hubs if h != drop] for drop in hubs if len(hubs) > 1]
    swapped = [sorted([h for h in hubs if h != out] + [into])
               for out in hubs for into in sorted(pool.cover[out]) if into not in hubs]  # fmt: skip
    return fewer + swapped
