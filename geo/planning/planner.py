"""The planner: a skeleton of trips, filled with meetings part by part, then tightened.

`plan_campaign` builds the skeleton (skeleton.py: which team works where on which date),
splits a large problem into parts (parts.py), has the routing core fill each part's team-days
(routing.py: OR-Tools, road km plus `day_cost_km` per team-day), gives more days to meetings
that did not fit while time is left, and turns the routes into timed team-days (schedule.py).
A re-plan keeps the revised plan's trips and first holds every meeting on the team-day it
had; only if some of them no longer fit is it solved again with those free to move. The
method is described in docs/planner.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import msgspec

from geo.planning.improve import fill_drives, insert_left, make_room
from geo.planning.parts import Part, split
from geo.planning.routing import solve
from geo.planning.schedule import assemble
from geo.planning.skeleton import Slot, build_slots, reachable_places, shortest_day
from geo.planning.types import Meeting, Plan, PlanningProblem, Unplaced, UnplacedReason

MAX_ROUNDS = 4  # solves after the first, each with more days for what did not fit
AFTER_PARTS, AFTER_ONE = 0.1, 0.02  # of the time limit, kept for what follows routing
FIRST_ROUND = 0.6  # of a part's time, for its first solve: the rest for days added after
# seconds a part is given however late it is, and more per meeting once the limit has passed:
# time for a first solution
MIN_PART_S, MIN_MEETING_S = 0.2, 0.01


Router = Callable[[PlanningProblem, list[Slot], set[str]], tuple[dict[int, list[str]], str]]


def plan_campaign(problem: PlanningProblem, router: Router | None = None, *,
                  deadline: float | None = None, progress: Callable[[int, int], None] | None = None
                  ) -> Plan:  # fmt: skip
    """A plan for the whole season. The search uses no randomness: the same problem gives the
    same plan whenever the solver converges inside the time limit (a plan cut short by the
    limit may differ). `router` fills team-days with meetings (OR-Tools unless another solver
    is given, as the benchmark does): it takes the problem, the slots and the meetings to hold
    on their `keep_*` day, and returns slot index -> meeting ids in route order, and a status.
    `deadline` (time.monotonic()) is when the whole plan is due, grouping and distances
    included; by default `time_limit_s` from now. A large problem is routed in parts
    (geo/planning/parts.py), each within its share of the time left; `progress` is told
    (meetings routed, meetings in all) after each."""
    route = router or solve
    due = deadline if deadline is not None else time.monotonic() + problem.time_limit_s
    started = time.perf_counter()
    slots = build_slots(problem)
    routes: dict[int, list[str]] = {}
    statuses: set[str] = set()
    parts = split(problem, slots) if problem.meetings else []
    total, done = len(problem.meetings), 0
    # the time after routing: moving meetings onto drives across parts, and timing the days
    routed = due - (AFTER_PARTS if len(parts) > 1 else AFTER_ONE) * problem.time_limit_s
    for part in parts:
        share = len(part.meetings) / max(1, total - done)
        slots = _route_part(problem, route, slots, part, routes, statuses, routed, share)
        if len(parts) > 1:
            slots, routes = _release(slots, routes, part, parts)
        done += len(part.meetings)
        if progress is not None:
            progress(done, total)
    if parts:
        _fill_drives(problem, slots, routes, due)
    placed = {m for visits in routes.values() for m in visits}
    unplaced = [_unplaced(problem, m) for m in problem.meetings if m.id not in placed]
    status = "empty" if not statuses else "/".join(sorted(statuses))
    return assemble(problem, slots, routes, unplaced, status, time.perf_counter() - started)


def _fill_drives(problem: PlanningProblem, slots: list[Slot], routes: dict[int, list[str]],
                 due: float) -> None:  # fmt: skip
    """Days that only drive, given meetings from any part (improve.fill_drives), in place."""
    index = {m.id: i for i, m in enumerate(problem.meetings)}
    fixed = {i for i, m in enumerate(problem.meetings) if m.pin_team or m.keep_team}
    found = {v: [index[m] for m in routes.get(v, [])] for v in range(len(slots))}
    fill_drives(problem, slots, found, fixed, due)
    routes.update({v: [problem.meetings[m].id for m in visits] for v, visits in found.items()})


def _release(slots: list[Slot], routes: dict[int, list[str]], part: Part, parts: list[Part]
             ) -> tuple[list[Slot], dict[int, list[str]]]:  # fmt: skip
    """The slots without the part's trips that hold nothing, so that the parts after it may
    use those dates; the routes and every part's slot indices follow."""
    busy = {slots[i].trip for i in part.slots if routes.get(i)}
    idle = {i for i in part.slots if slots[i].trip not in busy}
    kept = [i for i in range(len(slots)) if i not in idle]
    index = {old: new for new, old in enumerate(kept)}
    for each in parts:
        each.slots = [index[i] for i in each.slots if i in index]
    return [slots[i] for i in kept], {index[i]: v for i, v in routes.items() if i in index}


def _route_part(problem: PlanningProblem, route: Router, slots: list[Slot], part: Part,
                routes: dict[int, list[str]], statuses: set[str], due: float, share: float
                ) -> list[Slot]:  # fmt: skip
    """Route one part into `routes`, with more days for what did not fit while time is left;
    the slots, with any days added."""
    meetings = [m for m in part.meetings if _reachable(problem, m)]  # the rest are too far
    if not meetings:
        return slots
    held = {m.id for m in meetings if m.keep_team}
    most = -1
    for round_ in range(MAX_ROUNDS + 1):
        left_s = (due - time.monotonic()) * share
        if round_ and left_s <= MIN_PART_S:
            break  # the time limit holds for the whole plan, not for each round
        late = MIN_MEETING_S * len(meetings) if due <= time.monotonic() else 0.0
        left_s = max(MIN_PART_S + late, left_s * (1.0 if round_ else FIRST_ROUND))
        budget = msgspec.structs.replace(problem, meetings=meetings, time_limit_s=left_s)
        found: dict[int, list[str]] = {}
        status = "solved"
        if part.slots:  # a part may have no day yet: the round below gives it some
            found, status = route(budget, [slots[i] for i in part.slots], held)
            found = _held_back(problem, [slots[i] for i in part.slots], found, held)
        placed = {m for visits in found.values() for m in visits}
        if len(placed) < most:
            break  # a round cut short by the time limit: the earlier one stands
        most = len(placed)
        for i in part.slots:
            routes[i] = []
        for vehicle, visits in found.items():
            routes[part.slots[vehicle]] = visits
        statuses.add(status)
        short = {m.id for m in meetings if m.id not in placed}
        if not short:
            break
        # the skeleton's estimate fell short: days for what did not fit, kept meetings
        # that no longer fit their day free to move, and solve again
        held &= placed
        more = build_slots(problem, existing=slots, extra_for=short)
        known = set(slots)
        added = [s for s in more if s not in known]
        if not added and not short & {m.id for m in meetings if m.keep_team}:
            break
        routes.update({len(slots) + i: [] for i in range(len(added))})
        part.slots += range(len(slots), len(slots) + len(added))
        slots = slots + added
    _insert_left(problem, slots, routes, part, meetings)
    return slots


def _held_back(problem: PlanningProblem, slots: list[Slot], found: dict[int, list[str]],
               held: set[str]) -> dict[int, list[str]]:  # fmt: skip
    """The routes, with each held meeting the solver let go (short of time, on a large
    re-plan) put back on its own day where it still fits: otherwise the next round frees it,
    and a published meeting moves to another team and date for no reason."""
    placed = {m for visits in found.values() for m in visits}
    if held <= placed:
        return found
    index = {m.id: i for i, m in enumerate(problem.meetings)}
    routes = {v: [index[m] for m in found.get(v, [])] for v in range(len(slots))}
    dropped = [index[m] for m in sorted(held - placed)]
    insert_left(problem, slots, routes, dropped, kept=frozenset(dropped))
    # a day the solver filled with meetings free to go anywhere: they make room for it
    movable = {index[m] for visits in found.values() for m in visits
               if m not in held and not problem.meetings[index[m]].pin_team}  # fmt: skip
    displaced: list[int] = []
    for meeting in dropped:
        if not any(meeting in visits for visits in routes.values()):
            displaced += make_room(problem, slots, routes, meeting, movable) or []
    # where the days in use still have room for them, before a round adds days
    insert_left(problem, slots, routes, displaced)
    return {v: [problem.meetings[m].id for m in visits] for v, visits in routes.items()}


def _insert_left(problem: PlanningProblem, slots: list[Slot], routes: dict[int, list[str]],
                 part: Part, meetings: list[Meeting]) -> None:  # fmt: skip
    """The part's reachable meetings that no round placed, inserted where they fit: when the
    time limit stopped the rounds, the days added for them would otherwise stay empty."""
    placed = {m for i in part.slots for m in routes.get(i, [])}
    if all(m.id in placed for m in meetings):
        return
    index = {m.id: i for i, m in enumerate(problem.meetings)}
    found = {i: [index[m] for m in routes.get(i, [])] for i in part.slots}
    insert_left(problem, slots, found, [index[m.id] for m in meetings if m.id not in placed])
    routes.update({i: [problem.meetings[m].id for m in visits] for i, visits in found.items()})


def _reachable(problem: PlanningProblem, meeting: Meeting) -> bool:
    """Whether some day of some trip lets a team reach, hold and leave it."""
    day_s = problem.day_end_s - problem.day_start_s
    return shortest_day(problem, meeting.location, meeting.duration_s)[0] <= day_s


def _unplaced(problem: PlanningProblem, meeting: Meeting) -> Unplaced:
    day_s = problem.day_end_s - problem.day_start_s
    shortest_s = shortest_day(problem, meeting.location, meeting.duration_s)[0]
    if shortest_s > day_s:
        return Unplaced(meeting_id=meeting.id, reason="too_far_for_a_day", extra_team_days=0,
                        shortest_day_s=shortest_s)  # fmt: skip
    into = min(problem.travel_s[p][meeting.location] for p in reachable_places(problem))
    work = meeting.duration_s + 2 * into
    reason: UnplacedReason = "pinned_day_full" if meeting.pin_team else "no_capacity"
    return Unplaced(meeting_id=meeting.id, reason=reason, shortest_day_s=shortest_s,
                    extra_team_days=max(1, math.ceil(work / day_s)))  # fmt: skip
