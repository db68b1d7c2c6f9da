"""An independent check of a plan against its problem: every rule, recomputed from the
matrices and the calendar; an empty list means the plan is feasible.

Time is checked exactly, with travel seconds rounded up to whole seconds (the planner's unit):
a meeting starts no earlier than the team can arrive, and a day ends by `day_end_s`, not a
second later. Nights: every night at the team's base or a lodging; a day away from the base
follows, on the next calendar day, a day that slept where it wakes (so trips never span a
weekend or a holiday: those nights are at the base); at most `max_trip_days` days from leaving
the base to coming back. A meeting listed as too far for a day must be: no day between the
places a trip allows can hold it.
"""

from __future__ import annotations

import math
from datetime import timedelta

from geo.planning.calendar import working_days
from geo.planning.types import Plan, PlanningProblem, TeamDay

TOLERANCE_M = 1.0  # road metres per leg: days report legs rounded to 0.1 m


def violations(problem: PlanningProblem, plan: Plan) -> list[str]:
    """Every broken rule of the plan, as sentences."""
    found: list[str] = []
    found += _each_meeting_once(problem, plan)
    workdays = set(working_days(problem.calendar))
    bases = {team.id: team.base for team in problem.teams}
    for day in plan.days:
        if day.date not in workdays:
            found.append(f"{day.team_id} works on {day.date}, a day off")
        found += _day_fits(problem, day)
        for place in (day.start_location, day.end_location):
            if place != bases[day.team_id] and place not in problem.lodgings:
                found.append(f"{day.team_id} on {day.date} sleeps at {place}: no lodging there")
    for team_id, base in bases.items():
        found += _trips(problem, [d for d in plan.days if d.team_id == team_id], base)
    found += _pins(problem, plan)
    found += _too_far(problem, plan)
    return found


def _each_meeting_once(problem: PlanningProblem, plan: Plan) -> list[str]:
    seen = [stop.meeting_id for day in plan.days for stop in day.stops]
    seen += [u.meeting_id for u in plan.unplaced]
    wanted = sorted(m.id for m in problem.meetings)
    if sorted(seen) != wanted:
        return [f"meetings placed or listed {sorted(seen)} differ from {wanted}"]
    return []


def _day_fits(problem: PlanningProblem, day: TeamDay) -> list[str]:
    durations = {m.id: (m.location, m.duration_s) for m in problem.meetings}
    clock, here, road = problem.day_start_s, day.start_location, 0.0
    problems = []
    for stop in day.stops:
        location, duration = durations[stop.meeting_id]
        arrive = clock + math.ceil(problem.travel_s[here][location])
        if stop.location != location or stop.start_s < arrive:
            problems.append(f"{day.team_id} {day.date}: {stop.meeting_id} starts before arrival")
        if stop.end_s - stop.start_s != duration:
            problems.append(f"{day.team_id} {day.date}: {stop.meeting_id} is cut short")
        road += problem.road_m[here][location]
        clock, here = stop.end_s, location
    finish = clock + math.ceil(problem.travel_s[here][day.end_location])
    road += problem.road_m[here][day.end_location]
    if finish > problem.day_end_s or day.finish_s != finish:
        problems.append(f"{day.team_id} {day.date}: ends at {finish} s (reported "
                        f"{day.finish_s} s), the day ends at {problem.day_end_s} s")  # fmt: skip
    if abs(road - day.road_m) > TOLERANCE_M * (len(day.stops) + 1):
        problems.append(f"{day.team_id} {day.date}: road {day.road_m} m, legs add to {road:.1f}")
    return problems


def _trips(problem: PlanningProblem, days: list[TeamDay], base: int) -> list[str]:
    problems = []
    days = sorted(days, key=lambda d: d.date)
    if len({d.date for d in days}) != len(days):
        problems.append(f"{days[0].team_id} has two routes on one date")
    away = 0
    for previous, day in zip([None, *days], days, strict=False):
        left_away = previous is not None and previous.end_location != base
        if day.start_location == base:
            away = 1
            if left_away and previous is not None:
                problems.append(f"{day.team_id} slept at {previous.end_location} after "
                                f"{previous.date} but starts {day.date} at base")  # fmt: skip
        else:
            resumes = (left_away and previous is not None
                       and previous.end_location == day.start_location
                       and day.date - previous.date == timedelta(days=1))  # fmt: skip
            if not resumes:
                problems.append(f"{day.team_id} starts {day.date} at {day.start_location} "
                                "without having slept there the night before")  # fmt: skip
            away += 1
        if away > problem.max_trip_days:
            problems.append(f"{day.team_id} is away {away} days by {day.date}")
    if days and days[-1].end_location != base:
        problems.append(f"{days[-1].team_id} never returns to base after {days[-1].date}")
    return problems


def _pins(problem: PlanningProblem, plan: Plan) -> list[str]:
    where = {s.meeting_id: (d.team_id, d.date) for d in plan.days for s in d.stops}
    return [
        f"{m.id} pinned to {m.pin_team} {m.pin_date} but planned {where[m.id]}"
        for m in problem.meetings
        if m.pin_team and m.pin_date and m.id in where and where[m.id] != (m.pin_team, m.pin_date)
    ]


def _too_far(problem: PlanningProblem, plan: Plan) -> list[str]:
    """Meetings called too far for a day that some day of some trip could hold."""
    day_s = problem.day_end_s - problem.day_start_s
    bases = {team.base for team in problem.teams}
    places = bases | {
        lodging for lodging in problem.lodgings
        if all(math.ceil(problem.travel_s[b][lodging]) <= day_s
               and math.ceil(problem.travel_s[lodging][b]) <= day_s for b in bases)
    }  # fmt: skip
    pairs = [(a, b) for a in places for b in places
             if problem.max_trip_days >= 3 or (a == b and a in bases)
             or (problem.max_trip_days == 2 and (a in bases or b in bases))]  # fmt: skip
    where = {m.id: m for m in problem.meetings}
    found = []
    for unplaced in plan.unplaced:
        meeting = where.get(unplaced.meeting_id)
        if unplaced.reason != "too_far_for_a_day" or meeting is None:
            continue
        into, out = problem.travel_s, problem.travel_s
        shortest = min(math.ceil(into[a][meeting.location]) + meeting.duration_s
                       + math.ceil(out[meeting.location][b]) for a, b in pairs)  # fmt: skip
        if shortest <= day_s:
            found.append(f"{meeting.id} is called too far, but a day of {shortest} s holds it")
    return found
