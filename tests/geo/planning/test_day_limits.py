"""No day ends after the working day: travel is rounded up, and the checker holds it exactly."""

from __future__ import annotations

import random
import time

import msgspec
import pytest

from geo.planning.check import violations
from geo.planning.planner import plan_campaign
from geo.planning.types import PlanningProblem
from tests.geo.planning.factories import BASE, make_problem, ring

ARAL = (46.80174, 61.66312)
SHIELI = (44.16667, 66.75)


def fractional(problem: PlanningProblem, extra_s: float = 0.49) -> PlanningProblem:
    """The problem with every travel time a fraction of a second longer: rounding to the
    nearest second would hide that fraction."""
    travel = [[t + extra_s if t else t for t in row] for row in problem.travel_s]
    return msgspec.structs.replace(problem, travel_s=travel)


def scattered(count: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [(BASE[0] + rng.uniform(-1.6, 1.6), BASE[1] + rng.uniform(-3.5, 2.0))
            for _ in range(count)]  # fmt: skip


@pytest.mark.parametrize("count", [4, 25, 80, 200])
def test_no_day_ends_after_its_limit_at_any_size(count: int) -> None:
    problem = fractional(make_problem(scattered(count, count), lodging_points=[ARAL, SHIELI],
                                      duration_s=5400 + 17, time_limit_s=5))  # fmt: skip
    plan = plan_campaign(problem)
    assert plan.days
    assert all(day.finish_s <= problem.day_end_s for day in plan.days)
    assert all(stop.end_s <= day.finish_s for day in plan.days for stop in day.stops)
    assert violations(problem, plan) == []


def test_a_day_one_second_too_long_once_rounded_up_is_not_planned() -> None:
    problem = make_problem([(BASE[0] + 0.05, BASE[1])], teams=1)
    day_s = problem.day_end_s - problem.day_start_s
    # 1000.4 s each way: 2,000 s to the nearest second, 2,002 s rounded up
    travel = [[0.0, 1000.4], [1000.4, 0.0]]
    meeting = msgspec.structs.replace(problem.meetings[0], duration_s=day_s - 2001)
    problem = msgspec.structs.replace(problem, travel_s=travel, meetings=[meeting])
    plan = plan_campaign(problem)
    assert plan.days == []
    [unplaced] = plan.unplaced
    assert (unplaced.reason, unplaced.shortest_day_s) == ("too_far_for_a_day", day_s + 1)
    assert violations(problem, plan) == []


def test_checker_refuses_a_day_a_second_late() -> None:
    problem = make_problem([(BASE[0] + 0.05, BASE[1])], teams=1)
    day_s = problem.day_end_s - problem.day_start_s
    travel = [[0.0, 1000.4], [1000.4, 0.0]]
    meeting = msgspec.structs.replace(problem.meetings[0], duration_s=day_s - 2002)
    fits = msgspec.structs.replace(problem, travel_s=travel, meetings=[meeting])
    plan = plan_campaign(fits)
    assert [day.finish_s for day in plan.days] == [problem.day_end_s]
    assert violations(fits, plan) == []
    later = msgspec.structs.replace(fits, travel_s=[[0.0, 1000.4], [1001.4, 0.0]])
    assert any("the day ends at" in v for v in violations(later, plan))


def test_a_plan_due_before_routing_begins_still_places_its_meetings() -> None:
    problem = make_problem(ring(12, 0.3), time_limit_s=1)
    plan = plan_campaign(problem, deadline=time.monotonic() - 1)
    assert violations(problem, plan) == []
    assert plan.totals.meetings_placed == 12
