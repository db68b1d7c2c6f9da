"""Campaign plans: settlements grouped into meetings, then placed on teams' days by the
planner in geo.planning, and written as a plan document (docs/plan-format.md)."""

from __future__ import annotations

import msgspec

from geo.grouping import group_villages
from geo.grouping_types import GroupingResult
from geo.planning.calendar import CalendarSpec
from geo.planning.planner import plan_campaign
from geo.planning.types import Location, LocationKind, Meeting, Plan, PlanningProblem, Team
from geo.point import Point
from geo.travel import TravelModel
from outreach.domain.errors import InvalidInput
from outreach.domain.gazetteer import District, PlanningSite
from outreach.domain.planning import CampaignSpec, Place, PlanDocument
from outreach.services.grouping import to_geo_policy, to_geo_site
from outreach.services.plan_document import document


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The gazetteer as a plan sees it: every settlement and district, and its version."""

    sites: list[PlanningSite]
    districts: list[District]
    version: int | None = None


class Solved(msgspec.Struct, frozen=True, kw_only=True):
    """A plan with what it was made from: the planner's problem and the meeting groups."""

    problem: PlanningProblem
    grouping: GroupingResult
    plan: Plan
    document: PlanDocument


def make_plan(spec: CampaignSpec, snapshot: Snapshot, travel: TravelModel) -> PlanDocument:
    """Group, plan and document a campaign (CPU-bound and pure: run it in a thread)."""
    return solve(spec, snapshot, travel).document


def solve(spec: CampaignSpec, snapshot: Snapshot, travel: TravelModel) -> Solved:
    """Group and plan a campaign, keeping the problem so the plan can be checked."""
    _check_dates(spec)
    unknown = sorted(set(spec.districts) - {d.kato for d in snapshot.districts})
    if unknown:
        details = [{"field": "districts", "value": kato} for kato in unknown]
        raise InvalidInput(f"no such district: {', '.join(unknown)}", details=details)
    scope = [s for s in snapshot.sites if s.kind in spec.kinds
             and (not spec.districts or s.district_kato in spec.districts)]  # fmt: skip
    base = _base(spec, snapshot)
    lodgings = _lodgings(spec, snapshot, base)
    grouping = group_villages([to_geo_site(s) for s in scope], to_geo_policy(spec.policy),
                              travel)  # fmt: skip
    by_kato = {s.kato: s for s in snapshot.sites}
    problem = _problem(spec, grouping, [base, *lodgings], by_kato, travel)
    plan: Plan = plan_campaign(problem)
    written = document(spec, snapshot.version, problem, grouping, plan, by_kato)
    return Solved(problem=problem, grouping=grouping, plan=plan, document=written)


def _check_dates(spec: CampaignSpec) -> None:
    if spec.end < spec.start:
        raise InvalidInput("the campaign ends before it starts",
                           details=[{"field": "end", "message": "before start"}])  # fmt: skip
    if (spec.end - spec.start).days > 366:
        raise InvalidInput("a campaign is at most one year long",
                           details=[{"field": "end", "message": "more than 366 days"}])  # fmt: skip
    if spec.day_end <= spec.day_start:
        details = [{"field": "day_end", "message": "not after day_start"}]
        raise InvalidInput("the working day ends before it starts", details=details)


def _base(spec: CampaignSpec, snapshot: Snapshot) -> Place:
    located = {s.kato: s for s in snapshot.sites if s.position and s.location_quality == "exact"}
    if spec.base is not None:
        if spec.base not in located:
            raise InvalidInput(f"base {spec.base} is not a settlement with a surveyed position",
                               details=[{"field": "base", "value": spec.base}])  # fmt: skip
        site = located[spec.base]
    else:
        cities = [s for s in located.values() if s.kind == "city"] or list(located.values())
        if not cities:
            raise InvalidInput("no settlement has a surveyed position to serve as base")
        site = max(cities, key=lambda s: (s.population or 0, s.kato))
    assert site.position is not None
    return Place(id=site.kato, kind="base", names=site.names, position=site.position)


def _lodgings(spec: CampaignSpec, snapshot: Snapshot, base: Place) -> list[Place]:
    located = {s.kato: s for s in snapshot.sites if s.position and s.location_quality == "exact"}
    if spec.lodgings is not None:
        unknown = [k for k in spec.lodgings if k not in located]
        if unknown:
            details = [{"field": "lodgings", "value": kato} for kato in unknown]
            message = f"lodgings without a surveyed position: {', '.join(unknown)}"
            raise InvalidInput(message, details=details)
        chosen = [located[k] for k in spec.lodgings]
    else:  # the district centres: the settlement of the centre's name in each district
        chosen = [s for d in snapshot.districts for s in located.values()
                  if s.district_kato == d.kato and s.names.ru == d.centre_name]  # fmt: skip
    return [Place(id=s.kato, kind="lodging", names=s.names, position=s.position)
            for s in sorted(chosen, key=lambda s: s.kato)
            if s.kato != base.id and s.position is not None]  # fmt: skip


def _problem(spec: CampaignSpec, grouping: GroupingResult, depots: list[Place],
             by_kato: dict[str, PlanningSite], travel: TravelModel) -> PlanningProblem:  # fmt: skip
    hubs = [g for g in grouping.groups if by_kato[g.hub_id].position is not None]
    ids = [p.id for p in depots] + [g.id for g in hubs]
    points = [_point(p.position.lat, p.position.lon) for p in depots]
    for group in hubs:
        position = by_kato[group.hub_id].position
        assert position is not None
        points.append(_point(position.lat, position.lon))
    districts = [by_kato[p.id].district_kato for p in depots] + [g.district_id for g in hubs]
    road = [[travel.road_m(a, b, districts[r]) for b in points] for r, a in enumerate(points)]
    time_s = [[travel.travel_s(a, b, districts[r]) for b in points]
              for r, a in enumerate(points)]  # fmt: skip
    first = len(depots)
    extra = spec.minutes_per_10_attendees / 10
    meetings = [Meeting(id=g.id, location=first + i, duration_s=round(60 * (
        spec.setup_min + spec.meeting_min + extra * g.expected_attendance)))
        for i, g in enumerate(hubs)]  # fmt: skip
    kinds: list[LocationKind] = [p.kind for p in depots] + ["meeting"] * len(hubs)
    return PlanningProblem(
        locations=[Location(i, k) for i, k in zip(ids, kinds, strict=True)],
        road_m=road, travel_s=time_s, meetings=meetings,
        teams=[Team(f"team-{n + 1}", 0) for n in range(spec.teams)],
        lodgings=list(range(1, first)),
        calendar=season_days(spec),
        day_start_s=_seconds(spec.day_start), day_end_s=_seconds(spec.day_end),
        max_trip_days=spec.max_trip_days, time_limit_s=spec.time_limit_s, seed=spec.seed,
    )  # fmt: skip


def _point(lat: float, lon: float) -> Point:
    return Point(lat_deg=lat, lon_deg=lon)


def _seconds(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def season_days(spec: CampaignSpec) -> CalendarSpec:
    """The campaign's calendar as the planner takes it."""
    return CalendarSpec(start=spec.start, end=spec.end, weekdays=frozenset(spec.weekdays),
                        days_off=frozenset(spec.days_off))  # fmt: skip
