"""Re-planning: the revised plan's trips are kept and published meetings move as little as
possible."""

from __future__ import annotations

import functools
import itertools
import math
from datetime import date

import msgspec
import pytest

from geo.planning import planner
from geo.planning.check import violations
from geo.planning.parts import Part, split
from geo.planning.planner import plan_campaign
from geo.planning.routing import solve
from geo.planning.types import Meeting, Plan, PlanningProblem, PreviousDay
from tests.geo.planning.factories import make_problem, ring

ARAL = (46.80174, 61.66312)


def where(plan: Plan) -> dict[str, tuple[str, date]]:
    return {s.meeting_id: (d.team_id, d.date) for d in plan.days for s in d.stops}


def revise(problem: PlanningProblem, plan: Plan, **changes) -> PlanningProblem:
    """The problem of a re-plan: previous days and assignments carried over."""
    placed = where(plan)
    meetings = [msgspec.structs.replace(m, keep_team=placed[m.id][0], keep_date=placed[m.id][1])
                if m.id in placed else m for m in problem.meetings]  # fmt: skip
    days = [PreviousDay(team_id=d.team_id, date=d.date, start=d.start_location,
                        end=d.end_location) for d in plan.days]  # fmt: skip
    return msgspec.structs.replace(problem, meetings=meetings, previous_days=days, **changes)


def instance() -> tuple[PlanningProblem, Plan]:
    problem = make_problem(ring(9, 0.3, ARAL) + ring(15, 0.4), lodging_points=[ARAL])
    return problem, plan_campaign(problem)


def test_removing_a_meeting_moves_no_other() -> None:
    problem, first = instance()
    revised = revise(problem, first)
    revised = msgspec.structs.replace(revised, meetings=[m for m in revised.meetings
                                                         if m.id != "m003"])  # fmt: skip
    second = plan_campaign(revised)
    assert violations(revised, second) == []
    before, after = where(first), where(second)
    assert "m003" not in after
    assert {m for m in after if after[m] != before[m]} == set()


def test_pin_after_replan_is_respected_and_moves_little() -> None:
    problem, first = instance()
    revised = revise(problem, first)
    target = ("team-3", date(2027, 3, 30))
    meetings = [msgspec.structs.replace(m, pin_team=target[0], pin_date=target[1])
                if m.id == "m012" else m for m in revised.meetings]  # fmt: skip
    revised = msgspec.structs.replace(revised, meetings=meetings)
    second = plan_campaign(revised)
    assert violations(revised, second) == []
    before, after = where(first), where(second)
    assert after["m012"] == target
    assert len({m for m in after if after[m] != before.get(m)} - {"m012"}) <= 1


def test_meetings_that_no_longer_fit_their_day_move() -> None:
    problem, first = instance()
    longer = [msgspec.structs.replace(m, duration_s=m.duration_s * 2) for m in problem.meetings]
    revised = revise(msgspec.structs.replace(problem, meetings=longer), first)
    second = plan_campaign(revised)
    assert violations(revised, second) == []
    assert second.totals.meetings_placed == len(longer)


def test_a_large_replan_is_routed_in_parts_and_keeps_every_meeting_on_its_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A re-plan holds every meeting placed before on its day, so every part of it holds kept
    meetings; it was never cut, and at 6,000 villages it was routed as one part of 2,287
    meetings, most of its time limit. Parts here are cut at 20 meetings: the re-plan must be
    cut too, each trip with its kept meetings, and move none of them."""
    problem = make_problem(ring(30, 0.3, ARAL) + ring(40, 0.5), lodging_points=[ARAL])
    small = functools.partial(split, size=20)
    monkeypatch.setattr(planner, "split", small)
    first = plan_campaign(problem)
    assert violations(problem, first) == []
    revised = revise(problem, first)
    routed: list[list[Part]] = []

    def spied(problem: PlanningProblem, slots):  # type: ignore[no-untyped-def]
        routed.append(small(problem, slots))
        return routed[-1]

    monkeypatch.setattr(planner, "split", spied)
    second = plan_campaign(revised)
    assert len(routed[0]) >= 3
    assert max(len(part.meetings) for part in routed[0]) <= 25  # 40 and 30 before
    assert violations(revised, second) == []
    assert where(second) == where(first)


def test_a_kept_meeting_the_solver_lets_go_stays_on_its_day() -> None:
    """Short of time on a large re-plan, the solver may drop a held meeting (it has one
    allowed day), and the next round freed it: at 6,000 villages a re-plan of an unchanged
    problem moved 3 published meetings to other teams and dates. Here a router drops one held
    meeting from its first answer: the meeting stays on its day, and stays held."""
    problem, first = instance()
    revised = revise(problem, first)
    calls: list[set[str]] = []

    def router(budget: PlanningProblem, slots, held: set[str]):  # type: ignore[no-untyped-def]
        calls.append(set(held))
        found, status = solve(budget, slots, held)
        if len(calls) == 1:
            found = {v: [m for m in visits if m != "m003"] for v, visits in found.items()}
        return found, status

    second = plan_campaign(revised, router)
    assert violations(revised, second) == []
    assert where(second) == where(first)
    assert all("m003" in held for held in calls)


def test_a_kept_meeting_takes_its_day_back_from_meetings_free_to_move() -> None:
    """The solver, short of time, may drop a held meeting and fill its day with meetings not
    yet published, leaving it no room there: it was then freed and moved to another day (the
    one move left in a re-plan of an unchanged 6,000-village problem). Here a router does just
    that with new meetings at the same village: the held one takes its day back, and the new
    ones it displaces are placed elsewhere."""
    problem, first = instance()
    revised = revise(problem, first)
    m003 = next(m for m in revised.meetings if m.id == "m003")
    extra = [Meeting(id=f"n{i}", location=m003.location, duration_s=m003.duration_s)
             for i in range(4)]  # fmt: skip
    revised = msgspec.structs.replace(revised, meetings=[*revised.meetings, *extra])
    day_s = revised.day_end_s - revised.day_start_s
    crowded: list[str] = []

    def seconds(slot, route: list[str]) -> int:  # type: ignore[no-untyped-def]
        where_ = {m.id: m for m in revised.meetings}
        places = [slot.start, *(where_[m].location for m in route), slot.end]
        travel = sum(math.ceil(revised.travel_s[a][b]) for a, b in itertools.pairwise(places))
        return travel + sum(where_[m].duration_s for m in route)

    def router(budget: PlanningProblem, slots, held: set[str]):  # type: ignore[no-untyped-def]
        found, status = solve(budget, slots, held)
        if crowded or not any("m003" in visits for visits in found.values()):
            return found, status
        found = {v: [m for m in visits if not m.startswith("n")] for v, visits in found.items()}
        vehicle = next(v for v, visits in found.items() if "m003" in visits)
        route = found[vehicle]
        at = route.index("m003")
        route.remove("m003")
        for new in (m.id for m in extra):
            if seconds(slots[vehicle], [*route[:at], new, *route[at:]]) > day_s:
                break
            route.insert(at, new)
            crowded.append(new)
        assert crowded, "the day had room for none"
        return found, status

    second = plan_campaign(revised, router)
    assert violations(revised, second) == []
    after = where(second)
    assert {m: after.get(m) for m in where(first)} == where(first)
    assert crowded and all(m in after for m in crowded)
    assert any(after[m] != after["m003"] for m in crowded)
