"""Choosing hubs among located villages so that each lies within reach of one.

Objective, in order: fewest hubs; then least population-weighted road distance of villages to
their hub; then most hubs at okrug centres; then hub ids, for determinism. Pools of at most
`exact_max_candidates` villages are solved exactly by enumerating hub sets in increasing size
(every village is a candidate hub). Larger pools use greedy set cover followed by hub removal
and hub swaps while they improve the objective (not proven optimal). An attendance cap is met
by a greedy capacity-aware assignment; a pool whose cap decided anything is not proven optimal.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from itertools import combinations

from geo.distance import pairs_within_m
from geo.grouping_types import GroupingPolicy, Site
from geo.travel import TravelModel, geodesic_reach_m

Cost = tuple[float, int, tuple[str, ...]]
MAX_IMPROVEMENTS = 500


class HubChoice:
    """Village index -> hub index for one pool, and whether that is proven optimal."""

    def __init__(self, assignment: list[int], proven_optimal: bool) -> None:
        self.assignment = assignment
        self.proven_optimal = proven_optimal


class Pool:
    """Located villages that may share meetings, with their road distances (metres): for each
    hub, the villages it may reach (pairs that cannot be within reach are never measured)."""

    def __init__(self, sites: Sequence[Site], policy: GroupingPolicy, travel: TravelModel
                 ) -> None:  # fmt: skip
        self.sites = list(sites)
        self.policy = policy
        size = len(self.sites)
        self.road_m: list[dict[int, float]] = [{h: 0.0} for h in range(size)]
        for h, v in _candidate_pairs(self.sites, policy, travel):
            for hub, village in ((h, v), (v, h)):
                a, b = self.sites[hub], self.sites[village]
                if a.position and b.position:
                    self.road_m[hub][village] = travel.road_m(a.position, b.position,
                                                              a.district_id)  # fmt: skip
        limit = policy.max_gathering_m
        # built in village order, so that set iteration (and float sums over it) is as it was
        self.cover = [frozenset(v for v in sorted(reach) if reach[v] <= limit)
                      for reach in self.road_m]  # fmt: skip
        self.covered_by: list[list[int]] = [[] for _ in range(size)]
        for h, reach in enumerate(self.cover):
            for v in reach:
                self.covered_by[v].append(h)
        # for each village, the hubs that reach it, most preferred first, and their ranks
        self.ranked = [self._by_preference(hubs, v) for v, hubs in enumerate(self.covered_by)]
        self.rank = [{h: i for i, h in enumerate(hubs)} for hubs in self.ranked]
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
            nearest = next((h for h in self.ranked[v] if h in hub_set), None)
            if nearest is None:
                return None
            assignment.append(nearest)
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

    def _by_preference(self, hubs: list[int], v: int) -> list[int]:
        return sorted(hubs, key=lambda h: self._preference(h, v))

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


def _candidate_pairs(sites: list[Site], policy: GroupingPolicy, travel: TravelModel
                     ) -> list[tuple[int, int]]:  # fmt: skip
    """Pairs (i < j) that may be within reach: all of them, unless the model bounds road
    distance by the geodesic, when a grid and the great circle rule out the rest."""
    reach = geodesic_reach_m(travel, policy.max_gathering_m)
    if reach is None or any(site.position is None for site in sites):
        return list(combinations(range(len(sites)), 2))
    return pairs_within_m([site.position for site in sites if site.position], reach)


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
        screen = _Screen(pool, best) if pool.policy.max_expected_attendance is None else None
        for out, into in _moves(pool, best[1]):
            if screen is None:
                found = pool.assign(_apply(best[1], out, into))
            else:
                found = screen.found(out, into)
            if found is not None and found[0][:2] < best[0][:2]:
                best, improved = found, True
                break
    return HubChoice(best[1], proven_optimal=False)


def _greedy_cover(pool: Pool) -> list[int]:
    """Repeatedly the hub reaching most unreached villages (then least weighted travel to
    them, okrug centres, ids). A hub's key only changes when a village it reaches is reached,
    so keys are kept in a heap and only those hubs' keys recomputed."""
    uncovered = set(range(len(pool.sites)))

    def key(h: int) -> tuple[int, float, bool, str]:
        reach = pool.cover[h] & uncovered
        return (-len(reach), sum(pool.weight[v] * pool.road_m[h][v] for v in reach),
                not pool.sites[h].is_okrug_centre, pool.sites[h].id)  # fmt: skip

    keys = [key(h) for h in range(len(pool.sites))]
    heap = [(k, h) for h, k in enumerate(keys)]
    heapq.heapify(heap)
    hubs: list[int] = []
    while uncovered:
        found, hub = heapq.heappop(heap)
        if found != keys[hub]:
            continue  # an outdated key: the hub's current one is further down the heap
        hubs.append(hub)
        reached = pool.cover[hub] & uncovered
        uncovered -= reached
        for h in sorted({h for v in reached for h in pool.covered_by[v]}):
            keys[h] = key(h)
            heapq.heappush(heap, (keys[h], h))
    return sorted(hubs)


def _solo(pool: Pool) -> tuple[Cost, list[int]]:
    everyone = list(range(len(pool.sites)))
    return pool.cost(everyone, everyone), everyone


def _moves(pool: Pool, assignment: list[int]) -> Iterator[tuple[int, int | None]]:
    """Hub sets one step away, as (hub out, village in or None): one hub fewer first (fewer
    meetings), then one hub swapped for a village within its reach."""
    hubs = sorted(set(assignment))
    if len(hubs) > 1:
        yield from ((drop, None) for drop in hubs)
    is_hub = set(hubs)
    for out in hubs:
        yield from ((out, into) for into in sorted(pool.cover[out]) if into not in is_hub)


def _apply(assignment: list[int], out: int, into: int | None) -> list[int]:
    hubs = set(assignment) - {out}
    return sorted(hubs if into is None else hubs | {into})


class _Screen:
    """The current assignment, to evaluate a move without an attendance cap cheaply: only the
    villages it touches change hub (those of the hub it takes out, to their nearest remaining
    hub; those nearer the village it brings in, to it), everyone else keeps theirs, which is
    exactly the assignment `Pool.assign` would make. A move whose travel would clearly grow
    is dropped on the estimate; any other is costed in full, so the search takes the same
    steps as with `Pool.assign`, only faster."""

    def __init__(self, pool: Pool, best: tuple[Cost, list[int]]) -> None:
        self.pool = pool
        self.assignment = best[1]
        self.hubs = set(self.assignment)
        self.members: dict[int, list[int]] = {h: [] for h in self.hubs}
        for v, h in enumerate(self.assignment):
            self.members[h].append(v)
        self.travel = sum(pool.weight[v] * pool.road_m[h][v] for v, h in enumerate(self.assignment))
        # rounding of the cost (0.001) and float error in summing thousands of terms
        self.bound = best[0][0] + 1e-9 * abs(best[0][0]) + 0.01

    def found(self, out: int, into: int | None) -> tuple[Cost, list[int]] | None:
        """The move's cost and assignment, or None when it is infeasible or clearly worse."""
        changes = self._changes(out, into)
        if changes is None:
            return None
        assignment = list(self.assignment)
        for v, h in changes.items():
            assignment[v] = h
        hubs = sorted(self.hubs - {out} if into is None else self.hubs - {out} | {into})
        return self.pool.cost(hubs, assignment), assignment

    def _changes(self, out: int, into: int | None) -> dict[int, int] | None:
        pool, assignment = self.pool, self.assignment
        changes: dict[int, int] = {}
        delta = 0.0
        for v in self.members[out]:
            nearest = into if v == into else next(
                (h for h in pool.ranked[v] if h == into or (h != out and h in self.hubs)), None
            )  # fmt: skip
            if nearest is None:
                return None  # a village out of every remaining hub's reach
            changes[v] = nearest
            delta += pool.weight[v] * (pool.road_m[nearest][v] - pool.road_m[out][v])
        if into is not None:
            for v in pool.cover[into]:
                here = assignment[v]
                if here == out or (v in self.hubs and v != into):
                    continue
                if v == into or pool.rank[v][into] < pool.rank[v][here]:
                    changes[v] = into
                    delta += pool.weight[v] * (pool.road_m[into][v] - pool.road_m[here][v])
        return changes if self.travel + delta <= self.bound else None
