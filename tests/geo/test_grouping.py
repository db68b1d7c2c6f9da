"""Meeting groups: examples of each rule."""

from __future__ import annotations

import pytest

from geo.grouping import group_villages
from geo.grouping_types import ForcedGroup, GroupingPolicy
from geo.travel import DetourTravelModel
from tests.geo.factories import make_site

TRAVEL = DetourTravelModel()


def hubs(result) -> dict[str, list[str]]:
    return {g.hub_id: [m.id for m in g.members] for g in result.groups}


def test_nearby_villages_share_one_meeting_at_the_weighted_best_hub() -> None:
    sites = [make_site(1, east_km=0, population=100), make_site(2, east_km=5, population=1000),
             make_site(3, east_km=10, population=100)]  # fmt: skip
    result = group_villages(sites, GroupingPolicy(), TRAVEL)
    assert hubs(result) == {"000000002": ["000000001", "000000002", "000000003"]}
    assert result.groups[0].proven_optimal
    assert result.summary.meetings == 1


def test_okrug_centre_wins_a_tie() -> None:
    sites = [make_site(1, east_km=0), make_site(2, east_km=5, centre=True)]
    assert list(hubs(group_villages(sites, GroupingPolicy(), TRAVEL))) == ["000000002"]


def test_far_village_is_its_own_meeting_with_reason() -> None:
    sites = [make_site(1), make_site(2, east_km=3), make_site(3, east_km=60)]
    result = group_villages(sites, GroupingPolicy(), TRAVEL)
    far = next(g for g in result.groups if g.hub_id == "000000003")
    assert far.reason == "beyond_max_distance"
    assert result.summary.meetings == 2


def test_groups_stay_in_their_okrug_unless_crossing_allowed() -> None:
    sites = [make_site(1, okrug="A"), make_site(2, okrug="B", east_km=2)]
    assert group_villages(sites, GroupingPolicy(), TRAVEL).summary.meetings == 2
    crossing = group_villages(sites, GroupingPolicy(allow_cross_okrug=True), TRAVEL)
    assert crossing.summary.meetings == 1


def test_attendance_cap_splits_a_group() -> None:
    sites = [make_site(i, east_km=i, population=1000) for i in range(1, 5)]
    policy = GroupingPolicy(max_expected_attendance=650, turnout_share=0.3)
    result = group_villages(sites, policy, TRAVEL)
    assert result.summary.meetings == 2
    assert all(g.expected_attendance <= 650 for g in result.groups)


def test_village_over_the_cap_alone_is_its_own_meeting() -> None:
    sites = [make_site(1, population=100_000), make_site(2, east_km=1, population=10)]
    result = group_villages(sites, GroupingPolicy(max_expected_attendance=500), TRAVEL)
    assert {g.hub_id: g.reason for g in result.groups} == {"000000001": "over_capacity",
                                                          "000000002": None}  # fmt: skip


def test_approximate_villages_join_their_okrug_flagged() -> None:
    sites = [make_site(1, centre=True), make_site(2, quality="okrug_centre"),
             make_site(3, quality="unknown"), make_site(4, okrug="B", quality="district_centre")]  # fmt: skip
    result = group_villages(sites, GroupingPolicy(), TRAVEL)
    assert hubs(result) == {"000000001": ["000000001", "000000002", "000000003"],
                            "000000004": ["000000004"]}  # fmt: skip
    main = result.groups[0]
    assert main.approximate and [m.approximate for m in main.members] == [False, True, True]
    assert main.members[2].road_m is None
    assert result.groups[1].reason == "approximate_only"
    assert result.summary.approximate_villages == 3


def test_forced_solo_and_forced_group_are_kept() -> None:
    sites = [make_site(i, east_km=i) for i in range(1, 5)] + [make_site(5, east_km=40)]
    policy = GroupingPolicy(solo_ids=frozenset({"000000002"}),
                            forced_groups=(ForcedGroup(("000000003", "000000005"), "000000005"),))  # fmt: skip
    result = group_villages(sites, policy, TRAVEL)
    assert hubs(result) == {"000000001": ["000000001", "000000004"], "000000002": ["000000002"],
                            "000000005": ["000000003", "000000005"]}  # fmt: skip
    reasons = {g.hub_id: g.reason for g in result.groups}
    assert reasons["000000002"] == "forced_solo"
    assert reasons["000000005"] == "forced_group"


def test_forced_group_without_hub_takes_the_best_member() -> None:
    sites = [make_site(1, population=10), make_site(2, east_km=4, population=5000)]
    policy = GroupingPolicy(forced_groups=(ForcedGroup(("000000001", "000000002")),))
    assert list(hubs(group_villages(sites, policy, TRAVEL))) == ["000000002"]


@pytest.mark.parametrize(("policy", "message"), [
    (GroupingPolicy(solo_ids=frozenset({"999"})), "not in scope"),
    (GroupingPolicy(solo_ids=frozenset({"000000001"}),
                    forced_groups=(ForcedGroup(("000000001", "000000002")),)), "more than once"),
    (GroupingPolicy(forced_groups=(ForcedGroup(("000000001",), "000000002"),)), "not a member"),
])  # fmt: skip
def test_bad_forced_villages_are_refused(policy: GroupingPolicy, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        group_villages([make_site(1), make_site(2)], policy, TRAVEL)


def test_large_okrug_uses_heuristic_not_proven() -> None:
    sites = [make_site(i, east_km=(i % 6) * 8, north_km=(i // 6) * 8) for i in range(24)]
    result = group_villages(sites, GroupingPolicy(exact_max_candidates=10), TRAVEL)
    assert not any(g.proven_optimal for g in result.groups)
    assert sum(len(g.members) for g in result.groups) == 24
    for group in result.groups:
        assert all(m.road_m <= 15_000 for m in group.members)


def test_member_travel_times_follow_the_model() -> None:
    result = group_villages([make_site(1), make_site(2, east_km=6)], GroupingPolicy(), TRAVEL)
    hub, other = sorted(result.groups[0].members, key=lambda m: m.road_m or 0)
    assert (hub.road_m, hub.travel_s) == (0.0, 0.0)
    assert other.travel_s == pytest.approx(other.road_m / (60 / 3.6), abs=0.2)
