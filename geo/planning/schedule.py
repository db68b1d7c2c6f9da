"""Turning solved routes into team-days with times, legs and totals."""

from __future__ import annotations

from geo.planning.skeleton import Slot
from geo.planning.types import Plan, PlanningProblem, Stop, TeamDay, Totals, Unplaced


def assemble(problem: PlanningProblem, slots: list[Slot], routes: dict[int, list[str]],
             unplaced: list[Unplaced], status: str, elapsed_s: float) -> Plan:  # fmt: skip
    """The plan: trips with no meeting at all are dropped; every other day is timed."""
    busy_trips = {slots[v].trip for v, visits in routes.items() if visits}
    days = [
        team_day(problem, slot, routes.get(vehicle, []))
        for vehicle, slot in enumerate(slots)
        if slot.trip in busy_trips
    ]
    days.sort(key=lambda d: (d.team_id, d.date))
    return Plan(days=days, unplaced=sorted(unplaced, key=lambda u: u.meeting_id),
                totals=totals(problem, days), solver_status=status,
                solver_time_s=round(elapsed_s, 3))  # fmt: skip


def team_day(problem: PlanningProblem, slot: Slot, visits: list[str]) -> TeamDay:
    """A day's stops, leaving at the start of the working day and starting each meeting on
    arrival."""
    meetings = {m.id: m for m in problem.meetings}
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
        arrive = clock + round(leg_s)
        stops.append(Stop(meeting_id=meeting_id, location=meeting.location, arrive_s=arrive,
                          start_s=arrive, end_s=arrive + meeting.duration_s,
                          leg_road_m=round(leg_m, 1), leg_travel_s=round(leg_s, 1)))  # fmt: skip
        road_m, travel_s = road_m + leg_m, travel_s + leg_s
        clock, here = arrive + meeting.duration_s, meeting.location
    back_m, back_s = problem.road_m[here][slot.end], problem.travel_s[here][slot.end]
    return TeamDay(
        team_id=slot.team_id, date=slot.date, start_location=slot.start,
        end_location=slot.end, stops=stops, return_road_m=round(back_m, 1),
        return_travel_s=round(back_s, 1), finish_s=clock + round(back_s),
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
    )
