"""Writing a solved plan as the plan document of docs/plan-format.md."""

from __future__ import annotations

from geo.grouping_types import Group, GroupingResult
from geo.planning.types import Plan, PlanningProblem, TeamDay
from outreach.domain.gazetteer import PlanningSite
from outreach.domain.planning import (
    CampaignSpec,
    MeetingStatus,
    Place,
    PlanDay,
    PlanDocument,
    PlanMember,
    PlannedMeeting,
    PlanStop,
    PlanTotals,
    UnplacedMeeting,
)


def clock(seconds: float) -> str:
    """HH:MM of seconds after midnight."""
    minutes = round(seconds / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def document(spec: CampaignSpec, version: int | None, problem: PlanningProblem,
             grouping: GroupingResult, plan: Plan, by_kato: dict[str, PlanningSite]
             ) -> PlanDocument:  # fmt: skip
    """The plan document: places, meetings, days, unplaced meetings and totals."""
    places = _places(problem, grouping, by_kato)
    location_ids = [location.id for location in problem.locations]
    approximate = {i for i, p in enumerate(places) if p.approximate}  # places follow locations
    when = {stop.meeting_id: (day, order, stop) for day in plan.days
            for order, stop in enumerate(day.stops, start=1)}  # fmt: skip
    placed_at = {p.id: p for p in places}
    meetings = []
    day_min = (problem.day_end_s - problem.day_start_s) // 60
    unplaced = [
        UnplacedMeeting(meeting_id=u.meeting_id, reason=u.reason, extra_team_days=u.extra_team_days,
                        detail=_shortest(u.shortest_day_s, day_min),
                        shortest_day_min=_minutes(u.shortest_day_s),
                        working_day_min=day_min if u.shortest_day_s is not None else None)
        for u in plan.unplaced
    ]  # fmt: skip
    for group in grouping.groups:
        # every group is a meeting of the document: one whose hub has no position at all
        # cannot be routed, and is listed as unplaced with why (never left out)
        hub = placed_at.get(group.id) or _hub_place(group.id, by_kato)
        if hub.position is None and group.id not in spec.cancelled:
            unplaced.append(_no_position(group, by_kato))
        day, order, stop = when.get(group.id, (None, None, None))
        status: MeetingStatus = "planned"
        if group.id in spec.cancelled:
            status = "cancelled"
        elif day is None:
            status = "unplaced"
        elif group.id in spec.held:
            status = "held"
        meetings.append(PlannedMeeting(
            id=group.id, status=status, hub=hub, expected_attendance=group.expected_attendance,
            members=[PlanMember(kato=m.id, names=by_kato[m.id].names, population=m.population,
                                approximate=m.approximate) for m in group.members],
            team=day.team_id if day else None, date=day.date if day else None,
            start=clock(stop.start_s) if stop else None, end=clock(stop.end_s) if stop else None,
            order=order,
        ))  # fmt: skip
    extra = sum(u.extra_team_days for u in plan.unplaced if u.reason == "no_capacity"
                or u.reason == "pinned_day_full")  # fmt: skip
    totals = PlanTotals(
        road_km=plan.totals.road_km, meetings=len(meetings),
        meetings_placed=plan.totals.meetings_placed,
        villages=sum(len(m.members) for m in meetings), team_days=plan.totals.team_days,
        balance_days=plan.totals.balance_days, last_date=plan.totals.last_date,
        extra_team_days_needed=extra, travel_only_days=plan.totals.travel_only_days,
    )  # fmt: skip
    return PlanDocument(
        name=spec.name, spec=spec, gazetteer_version=version, places=places, meetings=meetings,
        days=[_day(day, location_ids, approximate) for day in plan.days],
        unplaced=sorted(unplaced, key=lambda u: u.meeting_id),
        totals=totals,
        solver={"library": "OR-Tools", "status": plan.solver_status,
                "time_s": plan.solver_time_s},
    )  # fmt: skip


def _hub_place(meeting_id: str, by_kato: dict[str, PlanningSite]) -> Place:
    """The place of a meeting that is not in the problem: cancelled, or with a hub no position
    is known for (`position` null)."""
    site = by_kato[meeting_id.removeprefix("g-")]
    return Place(id=meeting_id, kind="meeting", names=site.names, position=site.position,
                 approximate=site.location_quality != "exact")  # fmt: skip


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else -(-seconds // 60)


def _shortest(shortest_day_s: int | None, day_min: int) -> str | None:
    """Why a meeting is too far, in figures: the shortest day that could hold it."""
    needed = _minutes(shortest_day_s)
    if needed is None:
        return None
    return (
        f"the shortest day that could hold it (from the best base or lodging, the meeting "
        f"included) is {needed} min, the working day {day_min} min"
    )


def _no_position(group: Group, by_kato: dict[str, PlanningSite]) -> UnplacedMeeting:
    hub = by_kato[group.hub_id]
    where = "okrug" if hub.okrug_kato else "district"
    detail = (f"no position is known for any of its {len(group.members)} settlements, nor for "
              f"their {where}'s centre: add one in the gazetteer")  # fmt: skip
    return UnplacedMeeting(meeting_id=group.id, reason="no_position", extra_team_days=0,
                           detail=detail)  # fmt: skip


def _places(problem: PlanningProblem, grouping: GroupingResult,
            by_kato: dict[str, PlanningSite]) -> list[Place]:  # fmt: skip
    hub_of = {g.id: g.hub_id for g in grouping.groups}
    places = []
    for location in problem.locations:
        site = by_kato[hub_of.get(location.id, location.id)]
        places.append(Place(id=location.id, kind=location.kind, names=site.names,
                            position=site.position,
                            approximate=site.location_quality != "exact"))  # fmt: skip
    return places


def _day(day: TeamDay, location_ids: list[str], approximate: set[int]) -> PlanDay:
    """A team-day as written; a leg is approximate when either of its ends is."""
    before = [day.start_location, *(s.location for s in day.stops)]
    return PlanDay(
        team=day.team_id, date=day.date, start_place=location_ids[day.start_location],
        end_place=location_ids[day.end_location],
        stops=[PlanStop(meeting_id=s.meeting_id, place=location_ids[s.location],
                        arrive=clock(s.arrive_s), start=clock(s.start_s), end=clock(s.end_s),
                        road_km=round(s.leg_road_m / 1000, 1),
                        travel_min=round(s.leg_travel_s / 60, 1),
                        approximate=bool({came_from, s.location} & approximate))
               for came_from, s in zip(before, day.stops, strict=False)],
        return_road_km=round(day.return_road_m / 1000, 1),
        return_travel_min=round(day.return_travel_s / 60, 1),
        finish=clock(day.finish_s), road_km=round(day.road_m / 1000, 1),
        travel_min=round(day.travel_s / 60, 1),
        return_approximate=bool({before[-1], day.end_location} & approximate),
    )  # fmt: skip
