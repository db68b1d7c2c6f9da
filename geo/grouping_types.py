"""Types of meeting grouping: the villages in scope, the policy, and the groups chosen."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from geo.point import Point

LocationQuality = Literal["exact", "okrug_centre", "district_centre", "unknown"]
Reason = Literal["beyond_max_distance", "forced_solo", "forced_group", "over_capacity",
                 "approximate_only"]  # fmt: skip


class Site(msgspec.Struct, frozen=True, kw_only=True):
    """A village to be gathered. `position` is surveyed when `location_quality` is `exact`,
    else its fallback (okrug or district centre), or None when nothing is known."""

    id: str
    district_id: str
    okrug_id: str | None
    position: Point | None
    location_quality: LocationQuality = "exact"
    population: int | None = None
    is_okrug_centre: bool = False

    @property
    def exact(self) -> bool:
        """Whether distances to this village mean anything."""
        return self.location_quality == "exact" and self.position is not None


class ForcedGroup(msgspec.Struct, frozen=True):
    """Villages a coordinator gathers at one meeting, at `hub_id` or at the best member."""

    member_ids: tuple[str, ...]
    hub_id: str | None = None


class GroupingPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """How villages are gathered. Distances are road metres (see geo.travel).

    Expected attendance = population x `turnout_share`; a village of unknown population counts
    as `assumed_population`, both for the attendance cap and as the weight of its residents'
    travel. Okrugs with at most `exact_max_candidates` located villages are solved exactly.
    """

    max_gathering_m: Annotated[float, Meta(gt=0)] = 15_000.0
    allow_cross_okrug: bool = False
    max_expected_attendance: Annotated[float, Meta(gt=0)] | None = None
    turnout_share: Annotated[float, Meta(gt=0, le=1)] = 0.3
    assumed_population: Annotated[int, Meta(ge=0)] = 300
    solo_ids: frozenset[str] = frozenset()
    forced_groups: tuple[ForcedGroup, ...] = ()
    exact_max_candidates: Annotated[int, Meta(ge=1, le=20)] = 14


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """A village of a group: road distance (m) and travel time (s) to the hub, null when
    its position is unknown; `approximate` when measured from a fallback position."""

    id: str
    road_m: float | None
    travel_s: float | None
    population: int | None
    expected_attendance: float
    approximate: bool


class Group(msgspec.Struct, frozen=True, kw_only=True):
    """One meeting: the hub village and the villages gathered there (the hub included)."""

    id: str
    hub_id: str
    okrug_id: str | None
    district_id: str
    members: tuple[Member, ...]
    population_known: int
    population_unknown_villages: int
    expected_attendance: float
    max_road_m: float
    approximate: bool
    proven_optimal: bool
    reason: Reason | None = None


class GroupingSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Counts over a whole grouping; the largest gathering distance counts located members."""

    villages: int
    meetings: int
    largest_gathering_m: float
    groups_proven_optimal: int
    approximate_villages: int


class GroupingResult(msgspec.Struct, frozen=True, kw_only=True):
    """Every village in exactly one group; groups in (district, okrug, hub) order."""

    groups: tuple[Group, ...]
    summary: GroupingSummary
