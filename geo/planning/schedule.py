"""Turning solved routes into team-days with times, legs and totals.

Travel is timed in whole seconds rounded up, as the solver saw it, so a day the solver fitted
inside the working day ends inside it. Trips are tightened before they are timed: a day that
wakes and sleeps at one place and holds nothing is cut out (the later days move up a date
within the trip's run), and an empty drive between places is folded into the day before or
after when that day can still finish in time (it then wakes or sleeps one place further on).
A trip holding a pinned or kept meeting, or kept from a revised plan, stays as it is.
"""

from __future__ import annotations

import math
from collections import defaultdict

import msgspec

from geo.planning.skeleton import Slot
from geo.planning.types import Meeting, Plan, PlanningProblem, Stop, TeamDay, Totals, Unplaced

Day = tuple[Slot, list[str]]


def assemble(problem: PlanningProblem, slots: list[Slot], routes: dict[int, list[str]],
             unplaced: list[Unplaced], status: str, elapsed_s: float) -> Plan:  # fmt: skip
    """The plan: trips with no meeting at all are dropped; every other trip is tightened and
    its days timed."""
    meetings = {m.id: m for m in problem.meetings}
    trips: dict[int, list[Day]] = defaultdict(list)
    for vehicle, slot in enumerate(slots):
        trips[slot.trip].append((slot, routes.get(vehicle, [])))
    days = []
    for trip in trips.values():
        if any(visits for _, visits in trip):
            trip.sort(key=lambda day: day[0].date)
            days += [team_day(problem, slot, visits, meetings)
                     for slot, visits in tighten(problem, trip, meetings)]  # fmt: skip
    days.sort(key=lambda d: (d.team_id, d.date))
    return Plan(days=days, unplaced=sorted(unplaced, key=lambda u: u.meeting_id),
                totals=totals(problem, days), solver_status=status,
                solver_time_s=round(elapsed_s, 3))  # fmt: skip


def tighten(problem: PlanningProblem, trip: list[Day], meetings: dict[str, Meeting]
            ) -> list[Day]:  # fmt: skip
    """A trip's days (in date order) without idle days, empty drives folded into a
    neighbouring day where it still fits, on the trip's first dates."""
    held = any(meetings[m].pin_date or meetings[m].keep_date for _, visits in trip for m in visits)
    if held or trip[0][0].trip < 0 or len(trip) == 1:
        return trip
    legs = [(s.start, s.end, visits) for s, visits in trip if visits or s.start != s.end]
    at = 0
    while at < len(legs):
        start, end, visits = legs[at]
        before = legs[at - 1] if at > 0 else None
        after = legs[at + 1] if at + 1 < len(legs) else None
        if visits:
            at += 1
        elif before and _fits(problem, before[0], end, before[2], meetings):
            legs[at - 1 : at + 1] = [(before[0], end, before[2])]
        elif after and _fits(problem, start, after[1], after[2], meetings):
            legs[at : at + 2] = [(start, after[1], after[2])]
        else:
            at += 1
    return [(msgspec.structs.replace(slot, start=start, end=end), visits)
            for (slot, _), (start, end, visits) in zip(trip, legs, strict=False)]  # fmt: skip


def _fits(problem: PlanningProblem, start: int, end: int, visits: list[str],
          meetings: dict[str, Meeting]) -> bool:  # fmt: skip
    clock, here = problem.day_start_s, start
    for meeting_id in visits:
        meeting = meetings[meeting_id]
        clock += math.ceil(problem.travel_s[here][meeting.location]) + meeting.duration_s
        here = meeting.location
    return clock + math.ceil(problem.travel_s[here][end]) <= problem.day_end_s


def team_day(problem: PlanningProblem, slot: Slot, visits: list[str],
             meetings: dict[str, Meeting] | None = None) -> TeamDay:  # fmt: skip
    """A day's stops, leaving at the start of the working day and starting each meeting on
    arrival; legs take their travel seconds rounded up."""
    meetings = meetings or {m.id: m for m in problem.meetings}
    clock = problem.day_start_s
    here = slot.start
    stops = []
    road_m = travel_s = 0.0
    for meeting_id in visits:
        meeting = meetings[meeting_id]
        leg_m, leg_s = (
            problem.road_m[here][meeting.location],
            problem.travel_s[here][meeting.location],
        )
        arrive = clock + math.ceil(leg_s)
        stops.append(Stop(meeting_id=meeting_id, location=meeting.location, arrive_s=arrive,
                          start_s=arrive, end_s=arrive + meeting.duration_s,
                          leg_road_m=round(leg_m, 1), leg_travel_s=round(leg_s, 1)))  # fmt: skip
        road_m, travel_s = road_m + leg_m, travel_s + leg_s
        clock, here = arrive + meeting.duration_s, meeting.location
    back_m, back_s = problem.road_m[here][slot.end], problem.travel_s[here][slot.end]
    return TeamDay(
        team_id=slot.team_id, date=slot.date, start_location=slot.start,
        end_location=slot.end, stops=stops, return_road_m=round(back_m, 1),
        return_travel_s=round(back_s, 1), finish_s=clock + math.ceil(back_s),
        road_m=round(road_m + back_m, 1), travel_s=round(travel_s + back_s, 1),
    )  # fmt: skip


def totals(problem: PlanningProblem, days: list[TeamDay]) -> Totals:
    """Road kilometres, team-days per team, their spread, the last date worked."""
    per_team = {team.id: sum(1 for d in days if d.team_id == team.id) for team in problem.teams}
    return Totals(
        road_km=round(sum(d.road_m for d in days) / 1000, 1),
        meetings_placed=sum(len(d.stops) for d in days),
        team_days=per_team,
        balance_days=max(per_team.values(), default=0) - min(per_team.values(), default=0),
        last_date=max((d.date for d in days), default=None),
        travel_only_days=sum(1 for d in days if not d.stops),
    )
