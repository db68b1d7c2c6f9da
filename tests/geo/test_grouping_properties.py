"""Properties of meeting groups over random villages (hypothesis), and equality with a
brute-force optimum on small okrugs."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.grouping import group_villages
from geo.grouping_types import GroupingPolicy, Site
from geo.hub_choice import site_weight
from geo.travel import DetourTravelModel
from tests.geo.factories import make_site

TRAVEL = DetourTravelModel()
PROFILE = settings(max_examples=60, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
QUALITIES = ["exact", "exact", "exact", "okrug_centre", "district_centre", "unknown"]


@st.composite
def villages(draw, max_size: int = 14) -> list[Site]:
    count = draw(st.integers(1, max_size))
    okrugs = draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=count,
                           max_size=count))  # fmt: skip
    sites = []
    for index, okrug in enumerate(okrugs):
        sites.append(make_site(
            index + 1, okrug=okrug,
            north_km=draw(st.floats(0, 40)), east_km=draw(st.floats(0, 40)),
            population=draw(st.one_of(st.none(), st.integers(0, 3000))),
            quality=draw(st.sampled_from(QUALITIES)) if okrug else "exact",
            centre=draw(st.booleans()),
        ))  # fmt: skip
    return sites


policies = st.builds(
    GroupingPolicy,
    max_gathering_m=st.sampled_from([5_000.0, 15_000.0, 30_000.0]),
    allow_cross_okrug=st.booleans(),
    max_expected_attendance=st.one_of(st.none(), st.sampled_from([400.0, 1000.0])),
    exact_max_candidates=st.sampled_from([4, 14]),
)


@PROFILE
@given(villages(), policies)
def test_every_village_is_in_exactly_one_group(sites, policy) -> None:
    result = group_villages(sites, policy, TRAVEL)
    ids = [m.id for g in result.groups for m in g.members]
    assert sorted(ids) == sorted(s.id for s in sites)
    assert all(any(m.id == g.hub_id for m in g.members) for g in result.groups)


@PROFILE
@given(villages(), policies)
def test_located_members_are_within_reach_or_flagged(sites, policy) -> None:
    for group in group_villages(sites, policy, TRAVEL).groups:
        for member in group.members:
            if not member.approximate and group.reason is None:
                assert member.road_m <= policy.max_gathering_m + 1e-6


@PROFILE
@given(villages(), policies)
def test_okrug_rule_holds_without_crossing(sites, policy) -> None:
    okrug_of = {s.id: s.okrug_id for s in sites}
    for group in group_villages(sites, policy, TRAVEL).groups:
        if not policy.allow_cross_okrug:
            assert {okrug_of[m.id] for m in group.members} == {okrug_of[group.hub_id]}


@PROFILE
@given(villages(), policies)
def test_attendance_cap_holds_where_the_solver_had_a_choice(sites, policy) -> None:
    cap = policy.max_expected_attendance
    for group in group_villages(sites, policy, TRAVEL).groups:
        if cap is not None and group.reason is None:
            assert group.expected_attendance <= cap + 0.1


@PROFILE
@given(villages(), policies, st.randoms(use_true_random=False))
def test_same_input_in_any_order_gives_same_output(sites, policy, rng) -> None:
    shuffled = list(sites)
    rng.shuffle(shuffled)
    assert group_villages(shuffled, policy, TRAVEL) == group_villages(sites, policy, TRAVEL)


def partitions(items: list[int]):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for smaller in partitions(rest):
        for i in range(len(smaller)):
            yield [*smaller[:i], [first, *smaller[i]], *smaller[i + 1 :]]
        yield [[first], *smaller]


def brute_force(sites: list[Site], policy: GroupingPolicy) -> tuple[int, float]:
    """Fewest meetings, then least weighted road distance, over every partition and hub."""

    def road(a: Site, b: Site) -> float:
        return 0.0 if a is b else TRAVEL.road_m(a.position, b.position, a.district_id)

    best = (len(sites) + 1, float("inf"))
    for blocks in partitions(list(range(len(sites)))):
        total = 0.0
        for block in blocks:
            costs = [
                sum(site_weight(sites[v], policy) * road(sites[h], sites[v]) for v in block)
                for h in block
                if all(road(sites[h], sites[v]) <= policy.max_gathering_m for v in block)
            ]
            if not costs:
                break
            total += min(costs)
        else:
            best = min(best, (len(blocks), round(total, 3)))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_small_okrug_equals_brute_force_optimum(seed: int) -> None:
    rng = random.Random(seed)
    sites = [make_site(i + 1, north_km=rng.uniform(0, 25), east_km=rng.uniform(0, 25),
                       population=rng.choice([None, rng.randint(50, 2000)]))
             for i in range(rng.randint(2, 7))]  # fmt: skip
    policy = GroupingPolicy(max_gathering_m=rng.choice([8_000.0, 15_000.0]))
    result = group_villages(sites, policy, TRAVEL)
    weight = {s.id: site_weight(s, policy) for s in sites}
    travel = sum(weight[m.id] * m.road_m for g in result.groups for m in g.members)
    meetings, optimum = brute_force(sites, policy)
    assert result.summary.meetings == meetings
    # members carry road metres rounded to 0.1 m, so allow for that in the weighted sum
    assert travel == pytest.approx(optimum, rel=1e-4)
    assert all(g.proven_optimal for g in result.groups)
