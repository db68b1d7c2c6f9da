"""The skeleton of a plan: which team works where on which date, before any meeting is placed.

Each meeting belongs to the area of its nearest anchor (a base or a lodging). Areas are handed,
largest first, to the team with the fewest days so far, as trips of consecutive working days
inside one run of working days (never across a day off) and at most `max_trip_days` long: out
from the base on the first day, nights at the area's lodging, back to the base on the last day.
Areas around a base are worked as day trips. The routing solver then fills these team-days.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import msgspec

from geo.planning.calendar import blocks, working_days
from geo.planning.types import PlanningProblem, PreviousDay

# share of a working day that meetings and travel inside an area are expected to fill
DAY_FILL = 0.75


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    """A team-day to fill: where the team wakes and where it must sleep; `trip` groups the
    days of one trip."""

    team_id: str
    date: date
    start: int
    end: int
    trip: int


def reachable_places(problem: PlanningProblem) -> list[int]:
    """The bases, and the lodgings every team can drive to from its base and back within one
    working day: a trip never needs a night on the road."""
    day_s = problem.day_end_s - problem.day_start_s
    bases = {team.base for team in problem.teams}
    lodgings = {
        lodging for lodging in problem.lodgings
        if all(problem.travel_s[b][lodging] <= day_s and problem.travel_s[lodging][b] <= day_s
               for b in bases)
    }  # fmt: skip
    return sorted(bases | lodgings)


def anchors(problem: PlanningProblem) -> dict[str, int]:
    """Meeting id -> the base or lodging it is quickest to reach from."""
    places = reachable_places(problem)
    return {m.id: min(places, key=lambda p: (problem.travel_s[p][m.location], p))
            for m in problem.meetings}  # fmt: skip


def build_slots(problem: PlanningProblem, existing: list[Slot] | None = None,
                extra_for: set[str] | None = None) -> list[Slot]:  # fmt: skip
    """Team-days for every area's estimated workload, with pinned team-dates always present;
    or, given `existing` slots, those plus days for the meetings `extra_for` that did not fit
    them."""
    free = {team.id: [list(run) for run in blocks(working_days(problem.calendar))]
            for team in problem.teams}  # fmt: skip
    bases = {team.id: team.base for team in problem.teams}
    if existing is not None:
        slots = list(existing)
        for slot in slots:
            _take(free[slot.team_id], slot.date)
        skip = {m.id for m in problem.meetings} - (extra_for or set())
    else:
        slots = _previous_slots(problem, free)
        for team_id, day in sorted({(m.pin_team, m.pin_date) for m in problem.meetings
                                    if m.pin_team and m.pin_date}):  # fmt: skip
            if team_id in free and _take(free[team_id], day):  # unknown teams: left unplaced
                slots.append(Slot(team_id=team_id, date=day, start=bases[team_id],
                                  end=bases[team_id], trip=len(slots)))  # fmt: skip
        revising = bool(problem.previous_days)
        skip = {m.id for m in problem.meetings if revising and (m.keep_team or m.pin_team)}
    used: dict[str, int] = defaultdict(int)
    for slot in slots:
        used[slot.team_id] += 1
    next_trip = max((slot.trip for slot in slots), default=0) + 1
    for anchor, days_needed in _areas(problem, skip):
        day_trips = anchor in bases.values()
        remaining = days_needed
        while remaining > 0:
            trip: list[Slot] = []
            for team_id in sorted(bases, key=lambda t: (used[t], t)):
                trip = _trip(problem, free[team_id], team_id, bases[team_id], anchor,
                             1 if day_trips else remaining, next_trip)  # fmt: skip
                if trip:
                    used[team_id] += len(trip)
                    next_trip += 1
                    break
            if not trip:
                break  # the season is full; the solver reports what does not fit
            slots += trip
            remaining -= len(trip)
    return sorted(slots, key=lambda s: (s.team_id, s.date))


def _previous_slots(problem: PlanningProblem, free: dict[str, list[list[date]]]) -> list[Slot]:
    """The revised plan's trips, as they were; a trip with a day no longer available (a team
    gone, a date no longer worked) is left out whole, and its meetings are placed anew."""
    bases = {team.id: team.base for team in problem.teams}
    trips: list[list[PreviousDay]] = []
    for day in sorted(problem.previous_days, key=lambda d: (d.team_id, d.date)):
        if not trips or day.start == bases.get(day.team_id) or trips[-1][-1].team_id != day.team_id:
            trips.append([])
        trips[-1].append(day)
    slots: list[Slot] = []
    for number, trip in enumerate(trips, start=1):
        team_id = trip[0].team_id
        runs = free.get(team_id)
        if runs is None or not all(any(d.date in run for run in runs) for d in trip):
            continue
        for day in trip:
            _take(runs, day.date)
            slots.append(Slot(team_id=team_id, date=day.date, start=day.start, end=day.end,
                              trip=-number))  # fmt: skip
    return slots


def _areas(problem: PlanningProblem, skip: set[str]) -> list[tuple[int, int]]:
    """(anchor, days of work) for every area of the meetings not skipped, largest first."""
    work: dict[int, float] = defaultdict(float)
    anchor_of = anchors(problem)
    for meeting in problem.meetings:
        if meeting.id in skip:
            continue
        anchor = anchor_of[meeting.id]
        work[anchor] += meeting.duration_s + 2 * problem.travel_s[anchor][meeting.location]
    day_s = (problem.day_end_s - problem.day_start_s) * DAY_FILL
    base = problem.teams[0].base
    areas = []
    for anchor, seconds in work.items():
        transfer = problem.travel_s[base][anchor] + problem.travel_s[anchor][base]
        areas.append((anchor, max(1, math.ceil((seconds + transfer) / day_s))))
    return sorted(areas, key=lambda a: (-a[1], a[0]))


def _take(runs: list[list[date]], day: date) -> bool:
    for index, run in enumerate(runs):
        if day in run:
            at = run.index(day)
            runs[index : index + 1] = [r for r in (run[:at], run[at + 1 :]) if r]
            return True
    return False


def _trip(problem: PlanningProblem, runs: list[list[date]], team_id: str, base: int,
          anchor: int, wanted: int, trip: int) -> list[Slot]:  # fmt: skip
    """Up to `wanted` days (at most max_trip_days) from the earliest run of free days."""
    if not runs:
        return []
    length = min(wanted, problem.max_trip_days)
    run = next((r for r in runs if len(r) >= length), max(runs, key=len))
    days = run[:length]
    runs[runs.index(run)] = run[length:]
    runs[:] = [r for r in runs if r]
    if len(days) == 1:
        return [Slot(team_id=team_id, date=days[0], start=base, end=base, trip=trip)]
    return [Slot(team_id=team_id, date=day, start=base if i == 0 else anchor,
                 end=base if i == len(days) - 1 else anchor, trip=trip)
            for i, day in enumerate(days)]  # fmt: skip
