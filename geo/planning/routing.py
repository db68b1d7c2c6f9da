"""The routing core: OR-Tools fills a part's team-days with meetings.

Every team-day is a vehicle from where the team wakes to where it sleeps; a time dimension
holds travel (rounded up to whole seconds) plus meeting durations inside the working day;
every meeting may be left out at a penalty far above any road distance, so the solver places
as many as fit and then minimises road metres plus `day_cost_km` for every team-day it uses.
A day that moves between places is charged its drive even when empty (the drive is real); a
day that wakes and sleeps at one place costs nothing unless it holds a meeting, plus a little
growing with each team's days, so that between plans of equal cost the load is balanced and
the season ends earlier.

Several first solutions are tried (none is best everywhere), each followed by greedy descent,
which stops at a local optimum: the same input gives the same plan whenever the search
converges inside the time limit. Then days and whole trips the other days can absorb are
given up (improve.py), which the solver's one-meeting-at-a-time moves cannot see, and the
solver descends again from there.
"""

from __future__ import annotations

import math
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from geo.planning.improve import Routes, drop_trips, empty_days
from geo.planning.skeleton import Slot
from geo.planning.types import PlanningProblem

DROP_PENALTY = 100_000_000  # metres: placing a meeting always beats saving road
DAY_COST_M = 10  # metres per day of a team's season: small beside any real road
_FIRST = routing_enums_pb2.FirstSolutionStrategy
STARTS = (_FIRST.SAVINGS, _FIRST.SEQUENTIAL_CHEAPEST_INSERTION,
          _FIRST.PARALLEL_CHEAPEST_INSERTION, _FIRST.LOCAL_CHEAPEST_INSERTION)  # fmt: skip
POLISH_ROUNDS = 8  # days emptied, then the solver's descent again from there
TRIP_ROUNDS = 6  # trips given up, then the solver on the days left
# of a solve's time, for the first solutions and their descents: the cheapest descends on with
# the rest (a start that needs longer to settle than its share is not cut off for good)
FIRST_SHARE = 0.6
MIN_START_S = 0.2  # a further first solution is tried only with this much time left
LAST_RESORT_S = 2.0  # for a first solution when the limit left no time for one


def solve(problem: PlanningProblem, slots: list[Slot], held: set[str]
          ) -> tuple[dict[int, list[str]], str]:  # fmt: skip
    """Slot index -> meeting ids in route order, and a status; `held` meetings stay on their
    `keep_*` day, pinned ones on theirs."""
    fixed = {i for i, m in enumerate(problem.meetings) if m.pin_team or m.id in held}
    due = time.monotonic() + problem.time_limit_s
    active = list(range(len(slots)))
    routes: Routes | None = None
    for _ in range(TRIP_ROUNDS):
        if not active:
            break
        days = [slots[i] for i in active]
        model = _Model(problem, days, held)
        found = model.best_start(fixed, due) if routes is None else model.descend(
            fixed, due, None, model.assignment(routes))  # fmt: skip
        if found is not None:
            routes = found[1]
        if routes is None:
            return {}, "no_solution"
        dropped = drop_trips(problem, days, routes, fixed)
        if not dropped or time.monotonic() >= due:
            break
        kept = [v for v in range(len(days)) if v not in dropped]
        routes = {n: routes[v] for n, v in enumerate(kept)}
        active = [active[v] for v in kept]
    if routes is None:
        return {}, "no_solution"
    named = {active[v]: [problem.meetings[m].id for m in visits] for v, visits in routes.items()}
    return {i: named.get(i, []) for i in range(len(slots))}, "solved"


class _Model:
    """The OR-Tools model of a part's days."""

    def __init__(self, problem: PlanningProblem, slots: list[Slot], held: set[str]) -> None:
        self.problem, self.slots = problem, slots
        depots = sorted({s.start for s in slots} | {s.end for s in slots})
        nodes = depots + [m.location for m in problem.meetings]
        self.first = len(depots)
        duration = [0] * len(depots) + [m.duration_s for m in problem.meetings]
        self.manager = pywrapcp.RoutingIndexManager(
            len(nodes), len(slots),
            [depots.index(s.start) for s in slots], [depots.index(s.end) for s in slots],
        )  # fmt: skip
        routing = self.routing = pywrapcp.RoutingModel(self.manager)
        road = routing.RegisterTransitMatrix(
            [[round(problem.road_m[a][b]) for b in nodes] for a in nodes]
        )
        routing.SetArcCostEvaluatorOfAllVehicles(road)
        whole = [[math.ceil(problem.travel_s[a][b]) for b in nodes] for a in nodes]
        seconds = routing.RegisterTransitMatrix(
            [[whole[i][j] + duration[i] for j in range(len(nodes))] for i in range(len(nodes))]
        )
        day_s = problem.day_end_s - problem.day_start_s
        routing.AddDimension(seconds, day_s, day_s, True, "time")
        self._costs()
        for offset, meeting in enumerate(problem.meetings):
            index = self.manager.NodeToIndex(self.first + offset)
            routing.AddDisjunction([index], DROP_PENALTY)
            team, day = meeting.pin_team, meeting.pin_date
            if not (team and day) and meeting.id in held:
                team, day = meeting.keep_team, meeting.keep_date
            if team and day:
                allowed = [v for v, s in enumerate(slots) if s.team_id == team and s.date == day]
                routing.VehicleVar(index).SetValues([-1, *allowed])

    def _costs(self) -> None:
        day_m = round(self.problem.day_cost_km * 1000)
        rank: dict[str, int] = {}
        for vehicle, slot in enumerate(self.slots):
            if slot.start != slot.end:  # a drive between places happens, whatever it holds
                # and its team-day only if it holds a meeting: an empty drive is often folded
                # into the day before or after (schedule.tighten). Charging the day always (as
                # the bench's VROOM sees it) planned worse: see docs/planner.md
                self.routing.SetVehicleUsedWhenEmpty(True, vehicle)
                self.routing.SetFixedCostOfVehicle(day_m, vehicle)
            else:
                rank[slot.team_id] = rank.get(slot.team_id, 0) + 1
                self.routing.SetFixedCostOfVehicle(day_m + DAY_COST_M * rank[slot.team_id],
                                                   vehicle)  # fmt: skip

    def best_start(self, fixed: set[int], due: float) -> tuple[int, Routes] | None:
        """(cost, routes) of the cheapest of the first solutions, each descended within its
        share of `FIRST_SHARE` of the time, the cheapest then descended on with the rest."""
        best: tuple[int, Routes] | None = None
        first_due = time.monotonic() + FIRST_SHARE * (due - time.monotonic())
        for n, strategy in enumerate(STARTS):
            share_s = (first_due - time.monotonic()) / (len(STARTS) - n)
            if n and share_s < MIN_START_S:
                break
            found = self.descend(fixed, time.monotonic() + share_s, strategy, None)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is None:  # out of time before any first solution: a plan late beats none
            return self.descend(fixed, time.monotonic() + LAST_RESORT_S, _FIRST.PATH_CHEAPEST_ARC,
                                None)  # fmt: skip
        start = self.assignment(best[1]) if due - time.monotonic() >= MIN_START_S else None
        found = start and self.descend(fixed, due, None, start)
        if found and found[0] < best[0]:
            best = found
        return best

    def descend(self, fixed: set[int], due: float, strategy: int | None,
                start: pywrapcp.Assignment | None) -> tuple[int, Routes] | None:  # fmt: skip
        """(cost, routes): from a first solution by `strategy` (or from `start`), greedy
        descent, then days emptied and descent again until no day empties or time is up."""
        first = strategy if strategy is not None else STARTS[0]
        params = _parameters(due, first)
        if start is None:
            solution = self.routing.SolveWithParameters(params)
        else:
            solution = self.routing.SolveFromAssignmentWithParameters(start, params)
        if solution is None:
            return None
        for _ in range(POLISH_ROUNDS):
            routes = self.read(solution)
            if time.monotonic() >= due or not empty_days(self.problem, self.slots, routes, fixed):
                break
            emptied = self.assignment(routes)
            polished = emptied and self.routing.SolveFromAssignmentWithParameters(
                emptied, _parameters(due, first))  # fmt: skip
            solution = polished or emptied or solution
        return solution.ObjectiveValue(), self.read(solution)

    def assignment(self, routes: Routes) -> pywrapcp.Assignment | None:
        """The solver's assignment of these routes (None if it does not take them)."""
        indices = [[self.manager.NodeToIndex(self.first + m) for m in routes[v]]
                   for v in range(len(self.slots))]  # fmt: skip
        return self.routing.ReadAssignmentFromRoutes(indices, True)

    def read(self, solution: pywrapcp.Assignment) -> Routes:
        """Vehicle -> meeting indices in route order."""
        routes: Routes = {}
        for vehicle in range(len(self.slots)):
            index = self.routing.Start(vehicle)
            visits = []
            while not self.routing.IsEnd(index):
                node = self.manager.IndexToNode(index)
                if node >= self.first:
                    visits.append(node - self.first)
                index = solution.Value(self.routing.NextVar(index))
            routes[vehicle] = visits
        return routes


def _parameters(due: float, strategy: int) -> pywrapcp.DefaultRoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = strategy
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.time_limit.FromMilliseconds(max(1, int((due - time.monotonic()) * 1000)))
    return params
