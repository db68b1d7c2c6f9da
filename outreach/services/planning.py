"""Campaign plans: settlements grouped into meetings, then placed on teams' days by the
planner in geo.planning, and written as a plan document (docs/plan-format.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import msgspec

from geo.distance import Progress as DistancesProgress
from geo.grouping import group_villages
from geo.grouping_types import Group, GroupingResult
from geo.planning.calendar import CalendarSpec, working_days
from geo.planning.planner import plan_campaign
from geo.planning.types import (
    Location,
    LocationKind,
    Meeting,
    Plan,
    PlanningProblem,
    PreviousDay,
    Team,
)
from geo.point import Point
from geo.travel import TravelModel, travel_matrices
from outreach.domain.errors import InvalidInput, PinNotWorkingDay
from outreach.domain.gazetteer import District, PlanningSite
from outreach.domain.planning import (
    CampaignSpec,
    Place,
    PlanDocument,
    PlanningStep,
    Progress,
    Stage,
)
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


def make_plan(spec: CampaignSpec, snapshot: Snapshot, travel: TravelModel,
              previous: PlanDocument | None = None, progress: Progress | None = None
              ) -> PlanDocument:  # fmt: skip
    """Group, plan and document a campaign (CPU-bound and pure: run it in a thread)."""
    return solve(spec, snapshot, travel, previous, progress).document


def solve(spec: CampaignSpec, snapshot: Snapshot, travel: TravelModel,
          previous: PlanDocument | None = None, progress: Progress | None = None
          ) -> Solved:  # fmt: skip
    """Group and plan a campaign, keeping the problem so the plan can be checked. `progress`
    is told as each stage begins (grouping, distances, routing), on the calling thread."""
    tell = progress or _silent
    due = time.monotonic() + spec.time_limit_s  # the limit is the whole plan's, not routing's
    _check_dates(spec)
    unknown = sorted(set(spec.districts) - {d.kato for d in snapshot.districts})
    if unknown:
        details = [{"field": "districts", "value": kato} for kato in unknown]
        raise InvalidInput(f"no such district: {', '.join(unknown)}", details=details)
    excluded = set(spec.exclude)
    scope = [s for s in snapshot.sites if s.kind in spec.kinds and s.kato not in excluded
             and (not spec.districts or s.district_kato in spec.districts)]  # fmt: skip
    base = _base(spec, snapshot)
    lodgings = _lodgings(spec, snapshot, base)
    tell(PlanningStep(stage="grouping", villages=len(scope)))
    grouping = group_villages([to_geo_site(s) for s in scope], to_geo_policy(spec.policy),
                              travel, _counted(tell, "grouping"))  # fmt: skip
    by_kato = {s.kato: s for s in snapshot.sites}
    tell(PlanningStep(stage="distances", meetings=len(_hubs(spec, grouping, by_kato))))
    problem = _problem(spec, grouping, [base, *lodgings], by_kato, travel,
                       _counted(tell, "distances"))  # fmt: skip
    problem = apply_edits(problem, spec, previous)
    tell(PlanningStep(stage="routing", meetings=len(problem.meetings),
                      time_limit_s=problem.time_limit_s))  # fmt: skip
    plan: Plan = plan_campaign(problem, deadline=due, progress=_counted(tell, "routing"))
    written = document(spec, snapshot.version, problem, grouping, plan, by_kato)
    return Solved(problem=problem, grouping=grouping, plan=plan, document=written)


def _silent(_: PlanningStep) -> None:
    pass


def _counted(tell: Progress, stage: Stage) -> Callable[[int, int], None]:
    """A stage's `(done, total)` counts as steps of it, at most one per 5 % of the way."""
    shown = -1

    def count(done: int, total: int) -> None:
        nonlocal shown
        step = 20 * done // max(total, 1)
        if step > shown:
            shown = step
            tell(PlanningStep(stage=stage, done=done, total=total))

    return count


def _hubs(spec: CampaignSpec, grouping: GroupingResult, by_kato: dict[str, PlanningSite]
          ) -> list[Group]:  # fmt: skip
    """The meeting groups to plan: located hubs, not cancelled."""
    return [g for g in grouping.groups
            if by_kato[g.hub_id].position is not None and g.id not in spec.cancelled]  # fmt: skip


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
    working = set(working_days(season_days(spec)))
    if not working:
        details = [{"field": "end", "message": "no working day between start and end"}]
        raise InvalidInput("the campaign has no working day (weekends, public holidays and days"
                           " off excluded)", details=details)  # fmt: skip
    # a pin to a day no team works was taken, and the meeting planned elsewhere unsaid
    refused = [
        {"field": "pins", "value": p.date.isoformat(), "meeting_id": p.meeting_id,
         "message": f"{p.date.isoformat()} is outside the campaign ({spec.start} to {spec.end})"
         if not spec.start <= p.date <= spec.end else
         f"{p.date.isoformat()} is not a working day of the campaign (a weekend, a public"
         " holiday or a day off)"}
        for p in spec.pins if p.date not in working
    ]  # fmt: skip
    if refused:
        raise PinNotWorkingDay("a meeting is pinned to a day the campaign does not work: "
                           + "; ".join(d["message"] for d in refused), details=refused)  # fmt: skip


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
             by_kato: dict[str, PlanningSite], travel: TravelModel,
             distances_progress: DistancesProgress | None = None) -> PlanningProblem:  # fmt: skip
    hubs = _hubs(spec, grouping, by_kato)
    ids = [p.id for p in depots] + [g.id for g in hubs]
    points = []
    for place in depots:  # the base and lodgings are settlements with surveyed positions
        assert place.position is not None
        points.append(_point(place.position.lat, place.position.lon))
    for group in hubs:
        position = by_kato[group.hub_id].position
        assert position is not None
        points.append(_point(position.lat, position.lon))
    districts = [by_kato[p.id].district_kato for p in depots] + [g.district_id for g in hubs]
    # vectorised for the detour model (2 s for 2,300 places, where pair by pair took minutes),
    # geodesics kept by the model's cache: a re-plan computes only rows for new places
    road, time_s = travel_matrices(travel, points, districts, distances_progress)
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
        max_trip_days=spec.max_trip_days, time_limit_s=spec.time_limit_s,
        day_cost_km=spec.day_cost_km,
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


def apply_edits(problem: PlanningProblem, spec: CampaignSpec, previous: PlanDocument | None
                ) -> PlanningProblem:  # fmt: skip
    """Pins and held meetings as hard constraints; the revised plan's days and assignments
    as the starting point that published meetings keep where they can."""
    ids = {m.id for m in problem.meetings}
    teams = {t.id for t in problem.teams}
    named = [p.meeting_id for p in spec.pins] + list(spec.held)
    unknown = sorted({i for i in named if i not in ids} | {p.team for p in spec.pins} - teams)
    if unknown:
        details = [{"field": "pins", "value": value} for value in unknown]
        raise InvalidInput(f"not in this plan: {', '.join(unknown)}", details=details)
    before = (
        {m.id: (m.team, m.date) for m in previous.meetings if m.team and m.date} if previous else {}
    )
    not_placed = sorted(set(spec.held) - set(before))
    if not_placed:
        details = [{"field": "held", "value": value} for value in not_placed]
        raise InvalidInput("held meetings must be placed in the revised plan: "
                           + ", ".join(not_placed), details=details)  # fmt: skip
    pins = {p.meeting_id: (p.team, p.date) for p in spec.pins}
    pins.update({meeting_id: before[meeting_id] for meeting_id in spec.held})
    nowhere: tuple[str | None, date | None] = (None, None)
    meetings = []
    for m in problem.meetings:
        pin_team, pin_date = pins.get(m.id, nowhere)
        keep_team, keep_date = before.get(m.id, nowhere)
        meetings.append(
            msgspec.structs.replace(
                m, pin_team=pin_team, pin_date=pin_date, keep_team=keep_team, keep_date=keep_date
            )
        )
    index = {location.id: i for i, location in enumerate(problem.locations)}
    days = [
        PreviousDay(team_id=d.team, date=d.date, start=index[d.start_place], end=index[d.end_place])
        for d in (previous.days if previous else [])
        if d.start_place in index and d.end_place in index and d.team in teams
    ]  # fmt: skip
    return msgspec.structs.replace(problem, meetings=meetings, previous_days=days)
