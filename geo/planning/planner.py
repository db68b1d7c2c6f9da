"""The planner: OR-Tools' vehicle-routing solver fills the skeleton's team-days with meetings.

Every team-day of the skeleton is a vehicle that starts where the team woke and ends where it
must sleep (base or lodging); a time dimension holds travel plus meeting durations inside the
working day; every meeting may be left out at a penalty far above any road distance, so the
solver places as many as fit and then minimises road metres. Each team-day is charged its
start-to-end drive even when empty (a trip's drive out and back is real); trips left without
any meeting are dropped afterwards. A re-plan keeps the revised plan's trips and first holds
every meeting on the team-day it had; only if some of them no longer fit is it solved again
with those free to move. Day trips carry a small fixed cost growing with each
team's days, so that between plans of equal road the load is balanced and the season ends
earlier.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import msgspec
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from geo.planning.schedule import assemble
from geo.planning.skeleton import Slot, anchors, build_slots, reachable_places
from geo.planning.types import Meeting, Plan, PlanningProblem, Unplaced, UnplacedReason

DROP_PENALTY = 100_000_000  # metres: placing a meeting always beats saving road
MAX_ROUNDS = 4  # solves after the first, each with more days for what did not fit
DAY_COST_M = 10  # metres per day of a team's season: small beside any real road


Router = Callable[[PlanningProblem, list[Slot], set[str]], tuple[dict[int, list[str]], str]]


def plan_campaign(problem: PlanningProblem, router: Router | None = None) -> Plan:
    """A plan for the whole season. The search uses no randomness: the same problem gives the
    same plan whenever the solver converges inside the time limit (it does on the whole
    Kyzylorda oblast in about a second; a plan cut short by the limit may differ). `router` fills
    team-days with meetings (OR-Tools unless another solver is given, as the benchmark does):
    it takes the problem, the slots and the meetings to hold on their `keep_*` day, and returns
    slot index -> meeting ids in route order, and a status."""
    route = router or _solve
    deadline = time.monotonic() + problem.time_limit_s
    started = time.perf_counter()
    slots = build_slots(problem)
    routes: dict[int, list[str]] = {}
    status = "empty"
    if slots and problem.meetings:
        held = {m.id for m in problem.meetings if m.keep_team}
        routes, status = route(problem, slots, held)
        for _ in range(MAX_ROUNDS):
            placed = {m for visits in routes.values() for m in visits}
            short = {m.id for m in problem.meetings
                     if m.id not in placed and _reachable(problem, m)}  # fmt: skip
            if not short:
                break
            # the skeleton's estimate fell short: days for what did not fit, kept meetings
            # that no longer fit their day free to move, and solve again
            held &= placed
            more = build_slots(problem, existing=slots, extra_for=short)
            if len(more) == len(slots) and not short & {m.id for m in problem.meetings
                                                          if m.keep_team}:  # fmt: skip
                break
            left_s = deadline - time.monotonic()
            if left_s <= 0.5:
                break  # the time limit holds for the whole plan, not for each round
            slots = more
            budget = msgspec.structs.replace(problem, time_limit_s=left_s)
            routes, status = route(budget, slots, held)
    placed = {m for visits in routes.values() for m in visits}
    unplaced = [_unplaced(problem, m.id) for m in problem.meetings if m.id not in placed]
    return assemble(problem, slots, routes, unplaced, status, time.perf_counter() - started)


def _solve(problem: PlanningProblem, slots: list[Slot], held: set[str]
           ) -> tuple[dict[int, list[str]], str]:  # fmt: skip
    depots = sorted({s.start for s in slots} | {s.end for s in slots})
    nodes = depots + [m.location for m in problem.meetings]
    first_meeting = len(depots)
    duration = [0] * len(depots) + [m.duration_s for m in problem.meetings]
    manager = pywrapcp.RoutingIndexManager(
        len(nodes), len(slots),
        [depots.index(s.start) for s in slots], [depots.index(s.end) for s in slots],
    )  # fmt: skip
    routing = pywrapcp.RoutingModel(manager)
    road = routing.RegisterTransitMatrix(
        [[round(problem.road_m[a][b]) for b in nodes] for a in nodes]
    )
    routing.SetArcCostEvaluatorOfAllVehicles(road)
    minutes = routing.RegisterTransitMatrix([
        [round(problem.travel_s[a][b]) + duration[i] for b in nodes] for i, a in enumerate(nodes)
    ])  # fmt: skip
    day_s = problem.day_end_s - problem.day_start_s
    routing.AddDimension(minutes, day_s, day_s, True, "time")
    rank: dict[str, int] = {}
    for vehicle, slot in enumerate(slots):
        if slot.start != slot.end:  # a trip's drive out and back happens, whatever it holds
            routing.SetVehicleUsedWhenEmpty(True, vehicle)
        else:  # a day trip costs a little more the later it is in its team's season:
            # ties in road distance go to the less busy team and the earlier date
            rank[slot.team_id] = rank.get(slot.team_id, 0) + 1
            routing.SetFixedCostOfVehicle(DAY_COST_M * rank[slot.team_id], vehicle)
    for offset, meeting in enumerate(problem.meetings):
        index = manager.NodeToIndex(first_meeting + offset)
        routing.AddDisjunction([index], DROP_PENALTY)
        team, day = meeting.pin_team, meeting.pin_date
        if not (team and day) and meeting.id in held:
            team, day = meeting.keep_team, meeting.keep_date
        if team and day:
            allowed = [v for v, s in enumerate(slots) if s.team_id == team and s.date == day]
            routing.VehicleVar(index).SetValues([-1, *allowed])
    solution = routing.SolveWithParameters(_parameters(problem))
    if solution is None:
        return {}, "no_solution"
    routes: dict[int, list[str]] = {}
    for vehicle in range(len(slots)):
        index = routing.Start(vehicle)
        visits = []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node >= first_meeting:
                visits.append(problem.meetings[node - first_meeting].id)
            index = solution.Value(routing.NextVar(index))
        routes[vehicle] = visits
    return routes, "solved"


def _parameters(problem: PlanningProblem) -> pywrapcp.DefaultRoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    # greedy descent stops at a local optimum, so the same input gives the same plan; the
    # time limit only guards against a pathological instance
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.time_limit.FromMilliseconds(int(problem.time_limit_s * 1000))
    return params


def _reachable(problem: PlanningProblem, meeting: Meeting) -> bool:
    """Whether some base or lodging lets a team reach, hold and leave it within a day."""
    day_s = problem.day_end_s - problem.day_start_s
    places = reachable_places(problem)
    shortest = min(problem.travel_s[a][meeting.location] + problem.travel_s[meeting.location][b]
                   for a in places for b in places)  # fmt: skip
    return shortest + meeting.duration_s <= day_s


def _unplaced(problem: PlanningProblem, meeting_id: str) -> Unplaced:
    meeting = next(m for m in problem.meetings if m.id == meeting_id)
    day_s = problem.day_end_s - problem.day_start_s
    if not _reachable(problem, meeting):
        return Unplaced(meeting_id=meeting_id, reason="too_far_for_a_day", extra_team_days=0)
    anchor = anchors(problem)[meeting_id]
    work = meeting.duration_s + 2 * problem.travel_s[anchor][meeting.location]
    reason: UnplacedReason = "pinned_day_full" if meeting.pin_team else "no_capacity"
    return Unplaced(meeting_id=meeting_id, reason=reason,
                    extra_team_days=max(1, math.ceil(work / day_s)))  # fmt: skip
