"""Writing a solved plan as the plan document of docs/plan-format.md."""

from __future__ import annotations

from geo.grouping_types import GroupingResult
from geo.planning.types import Plan, PlanningProblem, TeamDay
from outreach.domain.gazetteer import PlanningSite, Position
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
    when = {stop.meeting_id: (day, order, stop) for day in plan.days
            for order, stop in enumerate(day.stops, start=1)}  # fmt: skip
    meetings = []
    for group in grouping.groups:
        hub = next((p for p in places if p.id == group.id), None) or _hub_place(group.id, by_kato)
        if hub is None:
            continue
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
    extra = sum(u.extra_team_days for u in plan.unplaced if u.reason != "too_far_for_a_day")
    totals = PlanTotals(
        road_km=plan.totals.road_km, meetings=len(meetings),
        meetings_placed=plan.totals.meetings_placed,
        villages=sum(len(m.members) for m in meetings), team_days=plan.totals.team_days,
        balance_days=plan.totals.balance_days, last_date=plan.totals.last_date,
        extra_team_days_needed=extra,
    )  # fmt: skip
    return PlanDocument(
        name=spec.name, spec=spec, gazetteer_version=version, places=places, meetings=meetings,
        days=[_day(day, location_ids) for day in plan.days],
        unplaced=[UnplacedMeeting(meeting_id=u.meeting_id, reason=u.reason,
                                  extra_team_days=u.extra_team_days) for u in plan.unplaced],
        totals=totals,
        solver={"library": "OR-Tools", "status": plan.solver_status,
                "time_s": plan.solver_time_s},
    )  # fmt: skip


def _hub_place(meeting_id: str, by_kato: dict[str, PlanningSite]) -> Place | None:
    """The place of a meeting that is not in the problem (cancelled), if its hub is located."""
    site = by_kato.get(meeting_id.removeprefix("g-"))
    if site is None or site.position is None:
        return None
    return Place(id=meeting_id, kind="meeting", names=site.names, position=site.position)


def _places(problem: PlanningProblem, grouping: GroupingResult,
            by_kato: dict[str, PlanningSite]) -> list[Place]:  # fmt: skip
    hub_of = {g.id: g.hub_id for g in grouping.groups}
    places = []
    for location in problem.locations:
        site = by_kato[hub_of.get(location.id, location.id)]
        position = site.position or Position(lat=0, lon=0)
        places.append(Place(id=location.id, kind=location.kind, names=site.names,
                            position=position))  # fmt: skip
    return places


def _day(day: TeamDay, location_ids: list[str]) -> PlanDay:
    return PlanDay(
        team=day.team_id, date=day.date, start_place=location_ids[day.start_location],
        end_place=location_ids[day.end_location],
        stops=[PlanStop(meeting_id=s.meeting_id, place=location_ids[s.location],
                        arrive=clock(s.arrive_s), start=clock(s.start_s), end=clock(s.end_s),
                        road_km=round(s.leg_road_m / 1000, 1),
                        travel_min=round(s.leg_travel_s / 60, 1)) for s in day.stops],
        return_road_km=round(day.return_road_m / 1000, 1),
        return_travel_min=round(day.return_travel_s / 60, 1),
        finish=clock(day.finish_s), road_km=round(day.road_m / 1000, 1),
        travel_min=round(day.travel_s / 60, 1),
    )  # fmt: skip
