"""Meeting groups: every village in exactly one group, gathered at a hub village.

Groups stay inside one rural okrug unless the policy allows crossing. Located villages are
pooled per okrug (or, when crossing is allowed, per set of villages linked by reach) and their
hubs chosen by `geo.hub_choice`. Villages known only by a fallback position join the nearest
hub of their own okrug (flagged approximate: the distance limit cannot be checked for them);
villages with no position at all join their okrug's centre group. An okrug with no located
village gets one approximate group. Coordinators' forced solo villages and forced groups are
kept as given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from geo.distance import Progress, pairs_within_m
from geo.grouping_types import (
    Group,
    GroupingPolicy,
    GroupingResult,
    GroupingSummary,
    Member,
    Reason,
    Site,
)
from geo.hub_choice import Pool, choose_hubs, site_weight
from geo.travel import TravelModel, geodesic_reach_m

Draft = tuple[Site, list[Site], bool, Reason | None]  # hub, members, proven optimal, reason


def group_villages(sites: Iterable[Site], policy: GroupingPolicy, travel: TravelModel,
                   progress: Progress | None = None) -> GroupingResult:  # fmt: skip
    """Choose hubs and assign every village to exactly one meeting group (deterministic).
    `progress(pools done, pools)` is told as pools of located villages are solved (at most
    about a hundred times)."""
    by_id = {site.id: site for site in sorted(sites, key=lambda s: s.id)}
    _check_forced(by_id, policy)
    drafts: list[Draft] = [(by_id[i], [by_id[i]], True, "forced_solo")
                           for i in sorted(policy.solo_ids)]  # fmt: skip
    drafts += [_forced_group(forced.member_ids, forced.hub_id, by_id, policy, travel)
               for forced in policy.forced_groups]  # fmt: skip
    taken = {member.id for _, members, _, _ in drafts for member in members}
    free = [site for site in by_id.values() if site.id not in taken]
    located = [site for site in free if site.exact]
    for site in located:
        if _over_cap([site], policy):
            drafts.append((site, [site], True, "over_capacity"))
    located = [site for site in located if not _over_cap([site], policy)]
    pools = _pools(located, policy, travel)
    every = max(1, len(pools) // 100)  # a hundred reports at most, however many pools
    for done, pool_sites in enumerate(pools, start=1):
        drafts += _solve_pool(pool_sites, policy, travel)
        if progress and (done % every == 0 or done == len(pools)):
            progress(done, len(pools))
    drafts = _attach_approximate([s for s in free if not s.exact], drafts, policy, travel)
    return _result([_group(draft, policy, travel) for draft in drafts])


def _check_forced(by_id: dict[str, Site], policy: GroupingPolicy) -> None:
    named = list(policy.solo_ids)
    for forced in policy.forced_groups:
        named += list(forced.member_ids)
        if forced.hub_id is not None and forced.hub_id not in forced.member_ids:
            raise ValueError(f"hub {forced.hub_id} is not a member of its forced group")
    unknown = sorted(set(named) - set(by_id))
    if unknown:
        raise ValueError(f"forced villages not in scope: {', '.join(unknown)}")
    repeated = sorted({i for i in named if named.count(i) > 1})
    if repeated:
        raise ValueError(f"villages forced more than once: {', '.join(repeated)}")


def _forced_group(ids: Sequence[str], hub_id: str | None, by_id: dict[str, Site],
                  policy: GroupingPolicy, travel: TravelModel) -> Draft:  # fmt: skip
    members = sorted((by_id[i] for i in ids), key=lambda s: s.id)
    if hub_id is None:
        located = [s for s in members if s.exact] or members
        hub = min(located, key=lambda h: (
            sum(site_weight(m, policy) * _road(h, m, travel) for m in members),
            not h.is_okrug_centre, h.id))  # fmt: skip
    else:
        hub = by_id[hub_id]
    return hub, members, True, "forced_group"


def _over_cap(members: list[Site], policy: GroupingPolicy) -> bool:
    cap = policy.max_expected_attendance
    total = sum(site_weight(s, policy) for s in members) * policy.turnout_share
    return cap is not None and total > cap + 1e-9


def _road(a: Site, b: Site, travel: TravelModel) -> float:
    if a.position is None or b.position is None or a.id == b.id:
        return 0.0
    return travel.road_m(a.position, b.position, a.district_id)


def _pools(located: list[Site], policy: GroupingPolicy, travel: TravelModel
           ) -> list[list[Site]]:  # fmt: skip
    """Villages that may share a meeting: one okrug, or when crossing is allowed, the villages
    linked to each other by chains of reachable pairs."""
    if not policy.allow_cross_okrug:
        pools: dict[str, list[Site]] = defaultdict(list)
        for site in located:
            pools[site.okrug_id or f"settlement:{site.id}"].append(site)
        return [pools[key] for key in sorted(pools)]
    return _reach_components(located, policy, travel)


def _reach_components(located: list[Site], policy: GroupingPolicy, travel: TravelModel
                      ) -> list[list[Site]]:  # fmt: skip
    # no road is shorter than the geodesic, so pairs beyond the road limit's geodesic are out
    reach = geodesic_reach_m(travel, policy.max_gathering_m) or policy.max_gathering_m
    parent = list(range(len(located)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    points = [site.position for site in located if site.position is not None]
    for index, other in pairs_within_m(points, reach):
        if root(index) != root(other) and _reaches(located[index], located[other], policy,
                                                    travel):  # fmt: skip
            parent[root(other)] = root(index)
    components: dict[int, list[Site]] = defaultdict(list)
    for index, site in enumerate(located):
        components[root(index)].append(site)
    return sorted(components.values(), key=lambda sites: sites[0].id)


def _reaches(a: Site, b: Site, policy: GroupingPolicy, travel: TravelModel) -> bool:
    return _road(a, b, travel) <= policy.max_gathering_m


def _solve_pool(sites: list[Site], policy: GroupingPolicy, travel: TravelModel) -> list[Draft]:
    pool = Pool(sites, policy, travel)
    choice = choose_hubs(pool)
    groups: dict[int, list[Site]] = defaultdict(list)
    for village, hub in enumerate(choice.assignment):
        groups[hub].append(sites[village])
    drafts: list[Draft] = []
    for hub, members in sorted(groups.items()):
        alone = len(members) == 1 and len(sites) > 1 and pool.cover[hub] == {hub}
        reason: Reason | None = "beyond_max_distance" if alone else None
        drafts.append((sites[hub], members, choice.proven_optimal, reason))
    return drafts


def _attach_approximate(approximate: list[Site], drafts: list[Draft], policy: GroupingPolicy,
                        travel: TravelModel) -> list[Draft]:  # fmt: skip
    """Villages known only approximately join a group of their own okrug."""
    joinable: dict[str | None, list[int]] = defaultdict(list)
    for i, (hub, _, _, reason) in enumerate(drafts):
        if reason not in ("forced_solo", "forced_group", "over_capacity"):
            joinable[hub.okrug_id].append(i)
    orphans: dict[str, list[Site]] = defaultdict(list)
    for site in approximate:
        in_okrug = joinable.get(site.okrug_id, []) if site.okrug_id is not None else []
        same_okrug = [i for i in in_okrug
                      if not _over_cap([*drafts[i][1], site], policy)]  # fmt: skip
        if not same_okrug:
            orphans[site.okrug_id or f"settlement:{site.id}"].append(site)
            continue
        best = min(same_okrug, key=lambda i: _join_preference(drafts[i][0], site, travel))
        hub, members, proven, reason = drafts[best]
        # a hub out of reach of every located village is no longer alone once others join
        reason = None if reason == "beyond_max_distance" else reason
        drafts[best] = (hub, [*members, site], proven, reason)
    for key in sorted(orphans):
        members = orphans[key]
        hub = min(members, key=lambda s: (not s.is_okrug_centre, s.position is None, s.id))
        drafts.append((hub, members, True, "approximate_only"))
    return drafts


def _join_preference(hub: Site, site: Site, travel: TravelModel) -> tuple[float, bool, str]:
    if site.position is None:  # no position: join the okrug centre's meeting
        return 0.0, not hub.is_okrug_centre, hub.id
    return _road(hub, site, travel), not hub.is_okrug_centre, hub.id


def _group(draft: Draft, policy: GroupingPolicy, travel: TravelModel) -> Group:
    hub, sites, proven, reason = draft
    members = tuple(
        _member(hub, site, policy, travel) for site in sorted(sites, key=lambda s: s.id)
    )
    known = [s.population for s in sites if s.population is not None]
    located = [m.road_m for m in members if not m.approximate and m.road_m is not None]
    return Group(
        id=f"g-{hub.id}", hub_id=hub.id, okrug_id=hub.okrug_id, district_id=hub.district_id,
        members=members, population_known=sum(known),
        population_unknown_villages=len(sites) - len(known),
        expected_attendance=round(sum(m.expected_attendance for m in members), 1),
        max_road_m=max(located, default=0.0),
        approximate=any(m.approximate for m in members),
        proven_optimal=proven, reason=reason,
    )  # fmt: skip


def _member(hub: Site, site: Site, policy: GroupingPolicy, travel: TravelModel) -> Member:
    road_m: float | None = None
    travel_s: float | None = None
    if site.id == hub.id:
        road_m, travel_s = 0.0, 0.0
    elif hub.position is not None and site.position is not None:
        road_m = travel.road_m(hub.position, site.position, hub.district_id)
        travel_s = travel.travel_s(hub.position, site.position, hub.district_id)
    return Member(
        id=site.id,
        road_m=None if road_m is None else round(road_m, 1),
        travel_s=None if travel_s is None else round(travel_s, 1),
        population=site.population,
        expected_attendance=round(site_weight(site, policy) * policy.turnout_share, 1),
        approximate=not site.exact or not hub.exact,
    )


def _result(groups: list[Group]) -> GroupingResult:
    ordered = tuple(sorted(groups, key=lambda g: (g.district_id, g.okrug_id or "", g.hub_id)))
    return GroupingResult(
        groups=ordered,
        summary=GroupingSummary(
            villages=sum(len(g.members) for g in ordered),
            meetings=len(ordered),
            largest_gathering_m=max((g.max_road_m for g in ordered), default=0.0),
            groups_proven_optimal=sum(g.proven_optimal for g in ordered),
            approximate_villages=sum(m.approximate for g in ordered for m in g.members),
        ),
    )
