"""Emptying lightly used days and trips: route removal, which the solver's local search lacks.

A day that wakes and sleeps at one place costs a team-day only if it holds a meeting. The
solver's moves relocate one meeting at a time, and moving the first meeting off a day saves
no team-day, so a day holding two or three meetings is rarely emptied even when other days
could take them for less road than a day is worth. This step tries, lightest day first, to
insert all of a day's meetings into the other days already in use (each at its cheapest
place that still fits the working day, travel rounded up) and keeps the change when the road
added is less than `day_cost_km`. Whole trips are given up the same way, against their road
and days. Days holding a pinned or kept meeting are left alone.
"""

from __future__ import annotations

import itertools
import math
import time

from geo.planning.skeleton import Slot
from geo.planning.types import PlanningProblem

Routes = dict[int, list[int]]  # vehicle -> meeting indices (into problem.meetings), in order


class _Days:
    """The problem seen as whole seconds and metres, for quick insertion costs."""

    def __init__(self, problem: PlanningProblem, slots: list[Slot]) -> None:
        self.problem = problem
        self.slots = slots
        self.location = [m.location for m in problem.meetings]
        self.duration = [m.duration_s for m in problem.meetings]
        self.day_s = problem.day_end_s - problem.day_start_s

    def places(self, vehicle: int, route: list[int]) -> list[int]:
        slot = self.slots[vehicle]
        return [slot.start, *(self.location[m] for m in route), slot.end]

    def seconds(self, vehicle: int, route: list[int]) -> int:
        travel = self.problem.travel_s
        places = self.places(vehicle, route)
        moving = sum(math.ceil(travel[a][b]) for a, b in itertools.pairwise(places))
        return moving + sum(self.duration[m] for m in route)

    def road(self, vehicle: int, route: list[int]) -> float:
        road = self.problem.road_m
        places = self.places(vehicle, route)
        return sum(road[a][b] for a, b in itertools.pairwise(places))

    def best_insertion(self, meeting: int, vehicle: int, route: list[int], used_s: int
                       ) -> tuple[float, int] | None:  # fmt: skip
        """(road added, position) of the cheapest place in the route that still fits."""
        travel, road = self.problem.travel_s, self.problem.road_m
        here = self.location[meeting]
        places = self.places(vehicle, route)
        best: tuple[float, int] | None = None
        for at, (a, b) in enumerate(itertools.pairwise(places)):
            added_s = (math.ceil(travel[a][here]) + math.ceil(travel[here][b])
                       - math.ceil(travel[a][b]) + self.duration[meeting])  # fmt: skip
            if used_s + added_s > self.day_s:
                continue
            added_m = road[a][here] + road[here][b] - road[a][b]
            if best is None or added_m < best[0]:
                best = (added_m, at)
        return best


def empty_days(problem: PlanningProblem, slots: list[Slot], routes: Routes,
               fixed: set[int]) -> bool:  # fmt: skip
    """Empty what days it can, in place; whether any was emptied. `fixed`: meeting indices
    that must stay on their day."""
    days = _Days(problem, slots)
    day_m = problem.day_cost_km * 1000
    changed = False
    while True:
        used = _used(slots, routes, set())
        candidates = sorted(
            (v for v in used if routes[v] and slots[v].start == slots[v].end
             and not fixed & set(routes[v])),
            key=lambda v: (len(routes[v]), days.road(v, routes[v]), v),
        )  # fmt: skip
        for vehicle in candidates:
            others = [v for v in used if v != vehicle]
            trial = _moved_elsewhere(days, routes, routes[vehicle], others)
            if trial is not None and trial[0] - days.road(vehicle, routes[vehicle]) < day_m:
                routes.update(trial[1])
                routes[vehicle] = []
                changed = True
                break
        else:
            return changed


def drop_trips(problem: PlanningProblem, slots: list[Slot], routes: Routes,
               fixed: set[int]) -> set[int]:  # fmt: skip
    """Whole trips given up, in place, when the other days in use can take their meetings for
    less road than the trip's own road and days: the vehicles of the trips given up. The
    solver cannot see this saving, since a trip's drives out and back are charged to it
    whether it holds anything or not."""
    days = _Days(problem, slots)
    day_m = problem.day_cost_km * 1000
    trips: dict[int, list[int]] = {}
    for vehicle, slot in enumerate(slots):
        trips.setdefault(slot.trip, []).append(vehicle)
    moving = {trip for trip, vehicles in trips.items()
              if any(slots[v].start != slots[v].end for v in vehicles)}  # fmt: skip
    dropped: set[int] = set()
    while True:
        used = _used(slots, routes, dropped)
        held = {trip: [m for v in trips[trip] for m in routes[v]] for trip in sorted(moving)}
        candidates = sorted((t for t in held if not fixed & set(held[t])),
                            key=lambda t: (len(held[t]), t))  # fmt: skip
        for trip in candidates:
            own = [v for v in trips[trip] if v in used]
            saved = sum(days.road(v, routes[v]) for v in own) + day_m * len(own)
            others = [v for v in used if slots[v].trip != trip]
            trial = _moved_elsewhere(days, routes, held[trip], others)
            if trial is not None and trial[0] < saved:
                routes.update(trial[1])
                for vehicle in trips[trip]:
                    routes[vehicle] = []
                dropped |= set(trips[trip])
                moving.discard(trip)
                break
        else:
            return dropped


def _used(slots: list[Slot], routes: Routes, dropped: set[int]) -> list[int]:
    """Days in use: holding a meeting, or driving between places."""
    return [v for v, route in routes.items()
            if v not in dropped and (route or slots[v].start != slots[v].end)]  # fmt: skip


def _moved_elsewhere(days: _Days, routes: Routes, meetings: list[int], others: list[int]
                     ) -> tuple[float, Routes] | None:  # fmt: skip
    """Road added and the new routes of the `others`, if all `meetings` fit into them."""
    touched: Routes = {}
    added = 0.0
    for meeting in meetings:
        best: tuple[float, int, int] | None = None
        for other in others:
            route = touched.get(other, routes[other])
            found = days.best_insertion(meeting, other, route, days.seconds(other, route))
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], other, found[1])
        if best is None:
            return None
        added += best[0]
        route = list(touched.get(best[1], routes[best[1]]))
        route.insert(best[2], meeting)
        touched[best[1]] = route
    return added, touched


def insert_left(problem: PlanningProblem, slots: list[Slot], routes: Routes, left: list[int],
                kept: frozenset[int] = frozenset()) -> None:  # fmt: skip
    """Meetings the solver left out, each inserted, in place, where it adds least road (and a
    team-day, on a day that held nothing) while its day still fits: the last resort when the
    time limit cut short the round that had days for them. A pinned meeting goes only to its
    team and date, and so does one of `kept` to its `keep_*` day. `routes` holds the vehicles
    that may take them."""
    days = _Days(problem, slots)
    day_m = problem.day_cost_km * 1000
    travel = problem.travel_s
    for meeting in left:
        pin = problem.meetings[meeting]
        only = ((pin.pin_team, pin.pin_date) if pin.pin_team
                else (pin.keep_team, pin.keep_date) if meeting in kept else None)  # fmt: skip
        here, alone = days.location[meeting], days.duration[meeting]
        best: tuple[float, int, int] | None = None
        for vehicle, route in routes.items():
            slot = slots[vehicle]
            if only is not None and (slot.team_id, slot.date) != only:
                continue
            if travel[slot.start][here] + travel[here][slot.end] + alone > days.day_s:
                continue  # not even alone: skip the insertion's scan
            found = days.best_insertion(meeting, vehicle, route, days.seconds(vehicle, route))
            if found is None:
                continue
            cost = found[0] + (day_m if not route and slot.start == slot.end else 0.0)
            if best is None or cost < best[0]:
                best = (cost, vehicle, found[1])
        if best is not None:
            routes[best[1]].insert(best[2], meeting)


def fill_drives(problem: PlanningProblem, slots: list[Slot], routes: Routes, fixed: set[int],
                due: float) -> None:  # fmt: skip
    """Meetings moved, in place, onto days that would otherwise only drive between places,
    across the parts the solver saw one by one: each such day, in turn, takes the meeting
    whose move saves the most (the road its day no longer drives, and a team-day if that day
    empties) less the detour, while that is a saving and the day still fits; until `due`
    (time.monotonic())."""
    days = _Days(problem, slots)
    day_m = problem.day_cost_km * 1000
    where = {m: v for v, route in routes.items() for m in route}
    busy = {slots[v].trip for v in where.values()}
    travel = problem.travel_s
    for vehicle, slot in enumerate(slots):
        if slot.start == slot.end or routes[vehicle] or slot.trip not in busy:
            continue
        if time.monotonic() >= due:
            return
        # only meetings the day could hold alone: the rest cannot fit
        near = [m for m in where if m not in fixed and travel[slot.start][days.location[m]]
                + travel[days.location[m]][slot.end] + days.duration[m] <= days.day_s]  # fmt: skip
        while True:
            best: tuple[float, int, int] | None = None
            used_s = days.seconds(vehicle, routes[vehicle])
            for meeting in near:
                source = where[meeting]
                if source == vehicle:
                    continue
                found = days.best_insertion(meeting, vehicle, routes[vehicle], used_s)
                if found is None:
                    continue
                rest = [m for m in routes[source] if m != meeting]
                saved = days.road(source, routes[source]) - days.road(source, rest)
                if not rest and slots[source].start == slots[source].end:
                    saved += day_m
                gain = saved - found[0]
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, meeting, found[1])
            if best is None:
                break
            _, meeting, at = best
            routes[where[meeting]] = [m for m in routes[where[meeting]] if m != meeting]
            routes[vehicle] = [*routes[vehicle][:at], meeting, *routes[vehicle][at:]]
            where[meeting] = vehicle


def make_room(problem: PlanningProblem, slots: list[Slot], routes: Routes, meeting: int,
              movable: set[int]) -> list[int] | None:  # fmt: skip
    """A kept meeting put, in place, on its own `keep_*` day that has no room left for it,
    by taking off that day as few `movable` meetings as it needs (each time the one whose
    leaving frees the most time): the meetings taken off, to be placed again elsewhere. None,
    with nothing changed, when even without all of them it does not fit. A published meeting
    stays on the day residents were told; a meeting not yet published can go anywhere."""
    days = _Days(problem, slots)
    want = (problem.meetings[meeting].keep_team, problem.meetings[meeting].keep_date)
    for vehicle, route in routes.items():
        if (slots[vehicle].team_id, slots[vehicle].date) != want:
            continue
        trial, off = list(route), list[int]()
        while True:
            found = days.best_insertion(meeting, vehicle, trial, days.seconds(vehicle, trial))
            if found is not None:
                trial.insert(found[1], meeting)
                routes[vehicle] = trial
                return off
            takeable = [m for m in trial if m in movable]
            if not takeable:
                break
            used_s = days.seconds(vehicle, trial)
            freed = max(takeable, key=lambda m: (
                used_s - days.seconds(vehicle, [x for x in trial if x != m]), -m))  # fmt: skip
            trial.remove(freed)
            off.append(freed)
    return None
