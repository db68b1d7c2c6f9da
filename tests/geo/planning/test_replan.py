"""Re-planning: the revised plan's trips are kept and published meetings move as little as
possible."""

from __future__ import annotations

import functools
from datetime import date

import msgspec
import pytest

from geo.planning import planner
from geo.planning.check import violations
from geo.planning.parts import Part, split
from geo.planning.planner import plan_campaign
from geo.planning.routing import solve
from geo.planning.types import Plan, PlanningProblem, PreviousDay
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
